import { DateTime } from 'luxon';
import { Db } from 'mongodb';
import { patientBody, startAuditedApp, testSigningKeys } from './support/patients-fixtures';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

const ZONE = 'Europe/Paris';
const FLAKY = /^flaky/;
const BROKEN = /^broken/;

/** An appointment 30 minutes ahead, reminded an hour before: its reminder is due at once. */
function dueAppointment() {
  const at = DateTime.now().setZone(ZONE).plus({ minutes: 30 }).toFormat("yyyy-LL-dd'T'HH:mm");
  return { kind: 'appointment', appointment: { at, remindMinutesBefore: 60 } };
}

describe('Reminder delivery across two scheduler processes', () => {
  // Flaky addresses are refused twice (451, try later), then accepted; broken ones always (550).
  const sink = new SmtpSink((to, attempt) =>
    FLAKY.test(to) && attempt <= 2 ? 451 : BROKEN.test(to) ? 550 : undefined,
  );
  let first: TestApp;
  let second: TestApp;
  let db: Db;
  let close: () => Promise<void>;

  beforeAll(async () => {
    await sink.start();
    const scheduler = {
      REMINDERS_ENABLED: 'true',
      REMINDERS_POLL_MS: '100',
      REMINDERS_BATCH_SIZE: '3',
      REMINDERS_MAX_ATTEMPTS: '3',
      REMINDERS_RETRY_BASE_MS: '200',
      REMINDERS_SMTP_URL: sink.url,
    };
    const keys = testSigningKeys();
    ({ ctx: first, db, close } = await startAuditedApp({ ...scheduler, AUDIT_SIGNING_KEY: keys }));
    second = await startTestApp({ ...scheduler, AUDIT_SIGNING_KEY: keys, MONGODB_URI: first.database.uri });
  });

  afterAll(async () => {
    await second.app.close();
    await close();
    await sink.stop();
  });

  const newPatientWithEmail = async (address: string) => {
    const id: string = (await first.as().post('/api/v1/patients').send(patientBody()).expect(201)).body.id;
    await first
      .as()
      .put(`/api/v1/patients/${id}/notification-preferences`)
      .send({ timeZone: ZONE, channels: { email: { address } }, preferredChannel: 'email' })
      .expect(201);
    return id;
  };
  const addReminder = async (patientId: string) =>
    (await first.as().post(`/api/v1/patients/${patientId}/reminders`).send(dueAppointment()).expect(201)).body
      .id as string;
  const deliveriesOf = async (patientId: string, reminderId: string) =>
    (await second.as().get(`/api/v1/patients/${patientId}/reminders/${reminderId}/deliveries`).expect(200))
      .body.items as { state: string; attempts: number; lastFailure?: string }[];
  const settled = async (patientId: string, reminderId: string) => {
    for (let waited = 0; waited < 20_000; waited += 100) {
      const items = await deliveriesOf(patientId, reminderId);
      if (items.length > 0 && ['sent', 'failed'].includes(items[0].state)) return items;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('The delivery did not settle in 20 s');
  };

  it('sends each due reminder exactly once although both processes poll for it', async () => {
    const addresses = Array.from({ length: 12 }, (_, i) => `patient${i}@example.org`);
    const sent = await Promise.all(
      addresses.map(async (address) => {
        const patientId = await newPatientWithEmail(address);
        return { address, patientId, reminderId: await addReminder(patientId) };
      }),
    );
    for (const { patientId, reminderId } of sent)
      expect(await settled(patientId, reminderId)).toEqual([
        expect.objectContaining({ state: 'sent', attempts: 1 }),
      ]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const { address } of sent) {
      const mails = sink.to(address);
      expect(mails).toHaveLength(1);
      expect(mails[0].subject).toBe('Reminder');
      expect(mails[0].text).toMatch(/^You have an appointment on \w+ \d+ \w+ \d{4} at \d\d:\d\d\.$/);
    }
    const reminder = await first
      .as()
      .get(`/api/v1/patients/${sent[0].patientId}/reminders/${sent[0].reminderId}`);
    expect(reminder.body).toMatchObject({ active: false });
    expect(reminder.body.nextDueAt).toBeUndefined();
  });

  it('retries with back-off after the mail server refuses, and records the delivery sent', async () => {
    const address = 'flaky@example.org';
    const patientId = await newPatientWithEmail(address);
    const reminderId = await addReminder(patientId);
    const [delivery] = await settled(patientId, reminderId);
    expect(delivery).toMatchObject({ state: 'sent', attempts: 3, lastFailure: 'smtp 451' });
    expect(sink.to(address)).toHaveLength(1);
  });

  it('records the delivery failed, visibly, after the last attempt', async () => {
    const patientId = await newPatientWithEmail('broken@example.org');
    const reminderId = await addReminder(patientId);
    const [delivery] = await settled(patientId, reminderId);
    expect(delivery).toMatchObject({ state: 'failed', attempts: 3, lastFailure: 'smtp 550' });
    expect(sink.to('broken@example.org')).toHaveLength(0);
  });

  it('enters each attempt in the ledger as the scheduler, without the address or the message', async () => {
    const patientId = await newPatientWithEmail('flaky.ledger@example.org');
    const reminderId = await addReminder(patientId);
    await settled(patientId, reminderId);
    const entries = await db
      .collection('audit_entries')
      .find({ patientId, resourceType: 'Communication' })
      .toArray();
    expect(entries.map((e) => e.outcome as number).sort()).toEqual([201, 502, 502]);
    expect(entries.every((e) => e.actor.id === 'reminder-scheduler' && e.resourceId === reminderId)).toBe(
      true,
    );
    expect(JSON.stringify(entries)).not.toContain('flaky.ledger@example.org');
  });
});
