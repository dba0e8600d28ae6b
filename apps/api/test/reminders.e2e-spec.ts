import { Role } from '@hdp/platform';
import { patientBody, useAuditedApp } from './support/patients-fixtures';

const PREFERENCES = {
  timeZone: 'Europe/London',
  channels: { email: { address: 'thorin@example.org' }, sms: { phone: '+447700900123' } },
  preferredChannel: 'email',
};
const MEDICATION = {
  kind: 'medication',
  medicationName: 'Metformin 500 mg',
  schedule: { times: ['08:00', '20:00'], startDate: '2027-07-01' },
};

describe('Reminders and notification preferences', () => {
  const app = useAuditedApp();

  const newPatient = async (preferences: object | null = PREFERENCES) => {
    const id: string = (await app.ctx.as().post('/api/v1/patients').send(patientBody()).expect(201)).body.id;
    if (preferences)
      await app.ctx.as().put(`/api/v1/patients/${id}/notification-preferences`).send(preferences).expect(201);
    return id;
  };
  const reminders = (patientId: string) => `/api/v1/patients/${patientId}/reminders`;
  const setPreferences = async (patientId: string, preferences: object) => {
    const path = `/api/v1/patients/${patientId}/notification-preferences`;
    const { headers } = await app.ctx.as().get(path).expect(200);
    return app.ctx.as().put(path).set('if-match', headers.etag).send(preferences).expect(200);
  };

  it('sets preferences once, then changes them only with the current ETag', async () => {
    const id = await newPatient(null);
    const path = `/api/v1/patients/${id}/notification-preferences`;
    await app.ctx.as().get(path).expect(404);
    const created = await app.ctx.as().put(path).send(PREFERENCES).expect(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({ ...PREFERENCES, patientId: id, includeMedicationName: false });
    await app.ctx.as().put(path).send(PREFERENCES).expect(428);
    await app.ctx.as().put(path).set('if-match', '"7"').send(PREFERENCES).expect(412);
    const changed = await app.ctx
      .as()
      .put(path)
      .set('if-match', '"1"')
      .send({ ...PREFERENCES, timeZone: 'Asia/Tokyo' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ timeZone: 'Asia/Tokyo', version: 2 });
  });

  it.each([
    ['an unknown time zone', { ...PREFERENCES, timeZone: 'Mars/Olympus' }],
    ['a preferred channel without a destination', { ...PREFERENCES, preferredChannel: 'push' }],
    ['a phone number that is not E.164', { ...PREFERENCES, channels: { sms: { phone: '07700 900123' } } }],
    ['quiet hours that are not times of day', { ...PREFERENCES, quietHours: { start: '22h', end: '07:00' } }],
    ['an unknown field', { ...PREFERENCES, colour: 'blue' }],
  ])('refuses preferences with %s, storing nothing', async (_, body) => {
    const id = await newPatient(null);
    const res = await app.ctx.as().put(`/api/v1/patients/${id}/notification-preferences`).send(body);
    expect([400, 422]).toContain(res.status);
    expect(await app.db.collection('notification_preferences').countDocuments({ _id: id as never })).toBe(0);
  });

  it('schedules medication times in the patient’s time zone, summer and winter alike', async () => {
    const london = await newPatient();
    const summer = await app.ctx.as().post(reminders(london)).send(MEDICATION).expect(201);
    expect(summer.headers.location).toBe(`${reminders(london)}/${summer.body.id}`);
    expect(summer.body).toMatchObject({
      channel: 'email',
      active: true,
      nextOccurrence: '2027-07-01T07:00:00.000Z',
    });
    const winter = await app.ctx
      .as()
      .post(reminders(london))
      .send({ ...MEDICATION, schedule: { times: ['08:00'], startDate: '2028-01-10' } })
      .expect(201);
    expect(winter.body.nextOccurrence).toBe('2028-01-10T08:00:00.000Z');

    const newYork = await newPatient({ ...PREFERENCES, timeZone: 'America/New_York' });
    const res = await app.ctx.as().post(reminders(newYork)).send(MEDICATION).expect(201);
    expect(res.body.nextOccurrence).toBe('2027-07-01T12:00:00.000Z');
  });

  it('follows the days of the week it is given', async () => {
    const id = await newPatient();
    const body = {
      ...MEDICATION,
      schedule: { times: ['09:15'], daysOfWeek: ['sat'], startDate: '2027-07-01' },
    };
    const res = await app.ctx.as().post(reminders(id)).send(body).expect(201);
    // 1 July 2027 is a Thursday: the first Saturday is the 3rd.
    expect(res.body.nextOccurrence).toBe('2027-07-03T08:15:00.000Z');
  });

  it('defers an occurrence inside quiet hours to their end, and says so', async () => {
    const id = await newPatient({ ...PREFERENCES, quietHours: { start: '22:00', end: '07:00' } });
    const late = { ...MEDICATION, schedule: { times: ['23:30'], startDate: '2027-07-01' } };
    const res = await app.ctx.as().post(reminders(id)).send(late).expect(201);
    expect(res.body).toMatchObject({
      nextOccurrence: '2027-07-01T22:30:00.000Z',
      nextDueAt: '2027-07-02T06:00:00.000Z',
    });
  });

  it('re-times reminders when the time zone or quiet hours change', async () => {
    const id = await newPatient();
    const created = await app.ctx.as().post(reminders(id)).send(MEDICATION).expect(201);
    await setPreferences(id, {
      ...PREFERENCES,
      timeZone: 'Asia/Tokyo',
      quietHours: { start: '07:30', end: '09:00' },
    });
    const res = await app.ctx
      .as()
      .get(`${reminders(id)}/${created.body.id}`)
      .expect(200);
    // 08:00 Tokyo (UTC+9) falls in quiet hours: sent at 09:00 Tokyo.
    expect(res.body).toMatchObject({
      nextOccurrence: '2027-06-30T23:00:00.000Z',
      nextDueAt: '2027-07-01T00:00:00.000Z',
    });
  });

  it('lists, replaces (If-Match) and deletes reminders', async () => {
    const id = await newPatient();
    const created = await app.ctx.as().post(reminders(id)).send(MEDICATION).expect(201);
    const path = `${reminders(id)}/${created.body.id}`;
    expect((await app.ctx.as().get(reminders(id)).expect(200)).body.items).toHaveLength(1);
    const appointment = {
      kind: 'appointment',
      appointment: { at: '2027-03-01T09:30', remindMinutesBefore: 120 },
      channel: 'sms',
    };
    await app.ctx.as().put(path).send(appointment).expect(428);
    const replaced = await app.ctx.as().put(path).set('if-match', '"1"').send(appointment).expect(200);
    expect(replaced.body).toMatchObject({
      kind: 'appointment',
      channel: 'sms',
      version: 2,
      nextOccurrence: '2027-03-01T07:30:00.000Z',
    });
    expect(replaced.body.medicationName).toBeUndefined();
    await app.ctx.as().delete(path).set('if-match', '"1"').expect(412);
    await app.ctx.as().delete(path).set('if-match', '"2"').expect(204);
    await app.ctx.as().get(path).expect(404);
    expect((await app.ctx.as().get(reminders(id)).expect(200)).body.items).toHaveLength(0);
  });

  it.each([
    ['an unknown field', { ...MEDICATION, dose: '2 tablets' }],
    [
      'a time of day that does not exist',
      { ...MEDICATION, schedule: { times: ['25:00'], startDate: '2027-07-01' } },
    ],
    [
      'a start date that does not exist',
      { ...MEDICATION, schedule: { times: ['08:00'], startDate: '2027-02-30' } },
    ],
    ['an unknown day', { ...MEDICATION, schedule: { ...MEDICATION.schedule, daysOfWeek: ['funday'] } }],
    [
      'an end before the start',
      { ...MEDICATION, schedule: { ...MEDICATION.schedule, endDate: '2027-06-01' } },
    ],
    ['a medication without a schedule', { kind: 'medication' }],
    [
      'an appointment with a schedule',
      { kind: 'appointment', appointment: { at: '2027-03-01T09:30' }, schedule: MEDICATION.schedule },
    ],
    ['an appointment in the past', { kind: 'appointment', appointment: { at: '2020-03-01T09:30' } }],
    [
      'an appointment time with an offset',
      { kind: 'appointment', appointment: { at: '2027-03-01T09:30+01:00' } },
    ],
    ['an unknown channel', { ...MEDICATION, channel: 'pigeon' }],
    ['an operator as a key', { ...MEDICATION, $where: '1' }],
  ])('answers 400 to a reminder with %s, storing nothing', async (_, body) => {
    const id = await newPatient();
    await app.ctx.as().post(reminders(id)).send(body).expect(400);
    expect(await app.db.collection('reminders').countDocuments({ patientId: id })).toBe(0);
  });

  it('answers 422 to a reminder on a channel the patient has no destination for, or without preferences', async () => {
    const id = await newPatient();
    await app.ctx
      .as()
      .post(reminders(id))
      .send({ ...MEDICATION, channel: 'push' })
      .expect(422);
    const without = await newPatient(null);
    await app.ctx.as().post(reminders(without)).send(MEDICATION).expect(422);
  });

  it('lets a patient manage their own reminders and see nothing of anyone else’s', async () => {
    const mine = await newPatient();
    const theirs = await newPatient();
    const theirReminder = (await app.ctx.as().post(reminders(theirs)).send(MEDICATION).expect(201)).body.id;
    const patient = app.ctx.as({
      id: 'patient-1',
      roles: [Role.Patient],
      scopes: ['patient/*.cruds'],
      patientId: mine,
    });
    await patient
      .put(`/api/v1/patients/${mine}/notification-preferences`)
      .set('if-match', '"1"')
      .send(PREFERENCES)
      .expect(200);
    const own = await patient.post(reminders(mine)).send(MEDICATION).expect(201);
    await patient.get(`${reminders(mine)}/${own.body.id}`).expect(200);
    await patient.get(`${reminders(mine)}/${own.body.id}/deliveries`).expect(200);
    await patient.get(reminders(theirs)).expect(404);
    await patient.get(`${reminders(theirs)}/${theirReminder}`).expect(404);
    await patient.post(reminders(theirs)).send(MEDICATION).expect(404);
    await patient.get(`/api/v1/patients/${theirs}/notification-preferences`).expect(404);
    await patient.put(`/api/v1/patients/${theirs}/notification-preferences`).send(PREFERENCES).expect(404);
    const noScope = app.ctx.as({
      id: 'patient-1',
      roles: [Role.Patient],
      scopes: ['patient/Observation.rs'],
      patientId: mine,
    });
    await noScope.get(reminders(mine)).expect(403);
  });

  it('enters every interaction in the ledger, denials included, without patient data', async () => {
    const id = await newPatient();
    const created = await app.ctx.as().post(reminders(id)).send(MEDICATION).expect(201);
    await app.ctx
      .as()
      .get(`${reminders(id)}/${created.body.id}`)
      .expect(200);
    const other = app.ctx.as({
      id: 'patient-9',
      roles: [Role.Patient],
      scopes: ['patient/*.cruds'],
      patientId: 'f'.repeat(8),
    });
    await other.get(reminders(id)).expect(404);
    const entries = await app.db.collection('audit_entries').find({ patientId: id }).toArray();
    const summary = entries.map((e) => `${e.resourceType} ${e.action} ${e.outcome}`);
    expect(summary).toEqual(
      expect.arrayContaining([
        'NotificationPreferences create 201',
        'CommunicationRequest create 201',
        'CommunicationRequest read 200',
        'CommunicationRequest search 404',
      ]),
    );
    expect(JSON.stringify(entries)).not.toContain('Metformin');
    expect(JSON.stringify(entries)).not.toContain('thorin@example.org');
  });

  it('removes reminders, deliveries and preferences with the patient', async () => {
    const id = await newPatient();
    await app.ctx.as().post(reminders(id)).send(MEDICATION).expect(201);
    await app.ctx.as().delete(`/api/v1/patients/${id}`).set('if-match', '"1"').expect(204);
    await app.ctx.as().get(reminders(id)).expect(404);
    expect(await app.db.collection('reminders').countDocuments({ patientId: id, deleted: false })).toBe(0);
    expect(await app.db.collection('notification_preferences').countDocuments({ _id: id as never })).toBe(0);
  });
});
