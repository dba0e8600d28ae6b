/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- supertest gives untyped bodies */
import { getModelToken } from '@nestjs/mongoose';
import { Db } from 'mongodb';
import type { Model, PipelineStage } from 'mongoose';
import { AuditLedgerService } from '@hdp/audit';
import { AuditRecoveryService } from '@hdp/patients';
import { Role } from '@hdp/platform';
import { servedByIndex } from './support/index-probe';
import { TestApp } from './support/test-app';
import { AuditedTestApp, patientBody, resultBody, startAuditedApp } from './support/patients-fixtures';

const weight = (value: number, effectiveDateTime: string) => ({
  code: '29463-7',
  value,
  unit: 'kg',
  effectiveDateTime,
});
const bloodPressure = (systolic: number, diastolic: number, effectiveDateTime: string) => ({
  code: '85354-9',
  components: [
    { code: '8480-6', value: systolic, unit: 'mm[Hg]' },
    { code: '8462-4', value: diastolic, unit: 'mm[Hg]' },
  ],
  effectiveDateTime,
});
const dose = (overrides: Record<string, unknown> = {}) => ({
  medication: { system: 'https://dmd.nhs.uk', code: '39720311000001101', display: 'Metformin 500mg tablets' },
  dose: { value: 1, unit: '{tablet}' },
  takenAt: '2026-03-09T08:00:00Z',
  ...overrides,
});

/** An audit entry without its ids, time, hashes and signature, whose digits could look like any number. */
const withoutHashes = (entry: object | undefined) =>
  Object.fromEntries(
    Object.entries(entry ?? {}).filter(
      ([key]) =>
        !['_id', 'at', 'resourceId', 'patientId', 'hash', 'prevHash', 'signature', 'correlationId'].includes(
          key,
        ),
    ),
  );

describe('Patient-reported data', () => {
  let ctx: TestApp;
  let db: Db;
  let app: AuditedTestApp;

  beforeAll(async () => {
    app = await startAuditedApp();
    ({ ctx, db } = app);
  });

  afterAll(() => app.close());

  const newPatient = async (): Promise<string> =>
    (await ctx.as().post('/api/v1/patients').send(patientBody()).expect(201)).body.id;
  /** The patient themselves, signed in with a patient-context token. */
  const patient = (patientId: string) =>
    ctx.as({
      id: `patient-user-${patientId.slice(0, 8)}`,
      roles: [Role.Patient],
      patientId,
      scopes: ['patient/Observation.cruds', 'patient/MedicationStatement.crs'],
    });
  const observations = (patientId: string) => `/api/v1/patients/${patientId}/patient-reported/observations`;
  const doses = (patientId: string) => `/api/v1/patients/${patientId}/patient-reported/medication-doses`;
  const summary = (patientId: string) => `/api/v1/patients/${patientId}/patient-reported/summary`;
  const entriesFor = (filter: object) => db.collection('audit_entries').find(filter).toArray();
  const stored = (patientId: string) =>
    db.collection('patient_reported_records').countDocuments({ patientId });

  describe('recording and reading', () => {
    let patientId: string;

    beforeAll(async () => {
      patientId = await newPatient();
    });

    it.each([
      ['weight', weight(72.5, '2026-03-09T07:30:00Z'), { value: 72.5, unit: 'kg', display: 'Body weight' }],
      [
        'blood glucose',
        { code: '15074-8', value: 5.6, unit: 'mmol/L', effectiveDateTime: '2026-03-09T07:31:00Z' },
        { value: 5.6, unit: 'mmol/L' },
      ],
      [
        'steps',
        { code: '55423-8', value: 8042, unit: '{steps}', effectiveDateTime: '2026-03-09T21:00:00Z' },
        { value: 8042, unit: '{steps}' },
      ],
      [
        'blood pressure',
        bloodPressure(128, 82, '2026-03-09T07:32:00Z'),
        {
          components: [
            { code: '8480-6', display: 'Systolic blood pressure', value: 128, unit: 'mm[Hg]' },
            { code: '8462-4', display: 'Diastolic blood pressure', value: 82, unit: 'mm[Hg]' },
          ],
        },
      ],
    ])('a patient records their own %s and reads it back', async (_, body, expected) => {
      const created = await patient(patientId).post(observations(patientId)).send(body).expect(201);
      expect(created.headers.location).toBe(`${observations(patientId)}/${created.body.id}`);
      expect(created.headers.etag).toBe('"1"');
      expect(created.body).toMatchObject({
        patientId,
        code: body.code,
        category: 'survey',
        reportedBy: `Patient/${patientId}`,
        version: 1,
        ...expected,
      });
      const read = await patient(patientId)
        .get(`${observations(patientId)}/${created.body.id}`)
        .expect(200);
      expect(read.body).toEqual(created.body);
      const record = await db
        .collection('patient_reported_records')
        .findOne({ _id: created.body.id as never });
      expect(record?.resource).toMatchObject({
        meta: { tag: [{ code: 'patient-reported' }] },
        category: [{ coding: [{ code: 'survey' }] }],
        performer: [{ reference: `Patient/${patientId}` }],
      });
      const [entry] = await entriesFor({ resourceId: created.body.id, action: 'create' });
      expect(entry).toMatchObject({ resourceType: 'PatientReportedObservation', patientId, outcome: 201 });
      expect(JSON.stringify(withoutHashes(entry))).not.toMatch(/72\.5|8042|128/);
    });

    it('lists them newest first, by code; a clinician reads them too, and every read is in the ledger', async () => {
      const own = await patient(patientId).get(observations(patientId)).expect(200);
      expect(own.body.items.map((item: { code: string }) => item.code)).toEqual([
        '55423-8',
        '85354-9',
        '15074-8',
        '29463-7',
      ]);
      const weights = await ctx.as().get(observations(patientId)).query({ code: '29463-7' }).expect(200);
      expect(weights.body.items).toHaveLength(1);
      expect(
        await entriesFor({ action: 'search', patientId, resourceType: 'PatientReportedObservation' }),
      ).toHaveLength(2);
    });

    it('records doses taken and lists them; the ledger holds no medication or dose', async () => {
      const created = await patient(patientId).post(doses(patientId)).send(dose()).expect(201);
      expect(created.body).toMatchObject({
        patientId,
        medication: { code: '39720311000001101' },
        dose: { value: 1, unit: '{tablet}' },
        takenAt: '2026-03-09T08:00:00.000Z',
        reportedBy: `Patient/${patientId}`,
      });
      await patient(patientId)
        .get(`${doses(patientId)}/${created.body.id}`)
        .expect(200);
      const list = await ctx.as().get(doses(patientId)).expect(200);
      expect(list.body.items.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
      const entries = await entriesFor({ resourceType: 'MedicationStatement', patientId });
      expect(entries.map((entry) => entry.action).sort()).toEqual(['create', 'read', 'search']);
      expect(JSON.stringify(entries)).not.toMatch(/39720311000001101|Metformin/);
    });

    it('lets only the patient record: a clinician gets 403 and nothing is stored', async () => {
      const before = await stored(patientId);
      await ctx.as().post(observations(patientId)).send(weight(70, '2026-03-09T07:30:00Z')).expect(403);
      await ctx.as().post(doses(patientId)).send(dose()).expect(403);
      expect(await stored(patientId)).toBe(before);
      expect(await entriesFor({ action: 'create', patientId, outcome: 403 })).toHaveLength(2);
    });
  });

  it('a report whose writer died before its ledger entry is ledgered exactly once by recovery', async () => {
    const patientId = await newPatient();
    const recovery = ctx.app.get(AuditRecoveryService);
    await recovery.recover(0);
    jest.spyOn(ctx.app.get(AuditLedgerService), 'append').mockRejectedValueOnce(new Error('process killed'));
    await patient(patientId)
      .post(observations(patientId))
      .send(weight(70, '2026-03-01T08:00:00Z'))
      .expect(500);
    const records = db.collection<{ _id: string; auditOutbox: unknown[] }>('patient_reported_records');
    const stored = await records.findOne({ patientId } as never);
    expect(stored?.auditOutbox).toHaveLength(1);
    expect(await entriesFor({ resourceId: stored?._id })).toHaveLength(0);

    expect(await recovery.recover(0)).toBe(1);
    expect(await entriesFor({ resourceId: stored?._id, action: 'create', outcome: 201 })).toHaveLength(1);
    expect((await records.findOne({ _id: stored?._id }))?.auditOutbox).toEqual([]);
  });

  it("denies a patient everything of another patient's with 404, as if it did not exist", async () => {
    const mine = await newPatient();
    const theirs = await newPatient();
    const their = await patient(theirs).post(observations(theirs)).send(weight(80, '2026-03-01T08:00:00Z'));
    const theirDose = await patient(theirs).post(doses(theirs)).send(dose()).expect(201);
    const me = patient(mine);
    await me.post(observations(theirs)).send(weight(70, '2026-03-01T08:00:00Z')).expect(404);
    await me.post(doses(theirs)).send(dose()).expect(404);
    await me.get(observations(theirs)).expect(404);
    await me.get(`${observations(theirs)}/${their.body.id}`).expect(404);
    await me.get(`${observations(mine)}/${their.body.id}`).expect(404);
    await me.get(`${doses(mine)}/${theirDose.body.id}`).expect(404);
    await me.get(doses(theirs)).expect(404);
    await me
      .get(summary(theirs))
      .query({ code: '29463-7', from: '2026-03-01', to: '2026-03-02', bucket: 'day' })
      .expect(404);
    expect(await stored(mine)).toBe(0);
    const denied = await entriesFor({ 'actor.id': `patient-user-${mine.slice(0, 8)}`, outcome: 404 });
    expect(denied).toHaveLength(8);
  });

  it.each([
    ['a wrong unit', { ...weight(72, '2026-03-09T07:30:00Z'), unit: '[lb_av]' }, 'unit'],
    [
      'negative steps',
      { code: '55423-8', value: -5, unit: '{steps}', effectiveDateTime: '2026-03-09T07:30:00Z' },
      'value',
    ],
    [
      'fractional steps',
      { code: '55423-8', value: 5.5, unit: '{steps}', effectiveDateTime: '2026-03-09T07:30:00Z' },
      'value',
    ],
    ['an impossible weight', weight(900, '2026-03-09T07:30:00Z'), 'value'],
    ['an unknown code', { ...weight(72, '2026-03-09T07:30:00Z'), code: '8867-4' }, 'code'],
    ['an unknown field', { ...weight(72, '2026-03-09T07:30:00Z'), source: 'scale' }, 'source'],
    ['an operator for a value', { ...weight(72, '2026-03-09T07:30:00Z'), value: { $gt: 0 } }, 'value'],
    ['an operator for a code', { ...weight(72, '2026-03-09T07:30:00Z'), code: { $gt: '' } }, 'code'],
    ['a future time', weight(72, '2999-01-01T00:00:00Z'), 'effectiveDateTime'],
    ['systolic below diastolic', bloodPressure(70, 90, '2026-03-09T07:30:00Z'), 'components'],
    [
      'blood pressure without diastolic',
      {
        ...bloodPressure(120, 80, '2026-03-09T07:30:00Z'),
        components: [{ code: '8480-6', value: 120, unit: 'mm[Hg]' }],
      },
      'components',
    ],
  ])('refuses a measurement with %s (400 naming it), storing nothing', async (_, body, path) => {
    const patientId = await newPatient();
    const res = await patient(patientId).post(observations(patientId)).send(body).expect(400);
    expect(JSON.stringify(res.body.errors)).toContain(path);
    expect(await stored(patientId)).toBe(0);
  });

  it.each([
    ['a negative dose', dose({ dose: { value: -1, unit: '{tablet}' } })],
    ['an unknown dose unit', dose({ dose: { value: 1, unit: 'spoonful' } })],
    [
      'an operator for the medication code',
      dose({ medication: { system: 'https://dmd.nhs.uk', code: { $ne: '' } } }),
    ],
    ['an unknown field', dose({ route: 'oral' })],
    ['a future time', dose({ takenAt: '2999-01-01T00:00:00Z' })],
  ])('refuses a dose with %s (400), storing nothing', async (_, body) => {
    const patientId = await newPatient();
    await patient(patientId).post(doses(patientId)).send(body).expect(400);
    expect(await stored(patientId)).toBe(0);
  });

  it("never lets a patient change or delete a clinician's result about them (403), by REST or FHIR", async () => {
    const patientId = await newPatient();
    const result = await ctx
      .as()
      .post(`/api/v1/patients/${patientId}/test-results`)
      .send(resultBody())
      .expect(201);
    const url = `/api/v1/patients/${patientId}/test-results/${result.body.id}`;
    const me = patient(patientId);
    await me.get(url).expect(200);
    await me
      .put(url)
      .set('If-Match', '"1"')
      .send(resultBody({ status: 'amended' }))
      .expect(403);
    await me.delete(url).set('If-Match', '"1"').expect(403);
    await me.post(`/api/v1/patients/${patientId}/test-results`).send(resultBody()).expect(403);
    await me.delete(`/fhir/R4/Observation/${result.body.id}`).expect(403);
    const current = await ctx.as().get(url).expect(200);
    expect(current.body).toMatchObject({ status: 'final', version: 1 });
  });

  describe('summaries', () => {
    let patientId: string;
    // Two ISO weeks around the Sunday/Monday boundary of 2026-03-08/09 (UTC).
    const series = [
      weight(71, '2026-03-07T08:00:00Z'),
      weight(73, '2026-03-07T20:00:00Z'),
      weight(72.5, '2026-03-08T23:59:59Z'),
      weight(70, '2026-03-09T00:00:00Z'),
      weight(74, '2026-03-09T01:00:00+02:00'), // 2026-03-08T23:00Z: Sunday, week 10
      weight(69.5, '2026-03-11T12:00:00Z'),
      bloodPressure(120, 80, '2026-03-09T07:00:00Z'),
      bloodPressure(140, 90, '2026-03-09T19:00:00Z'),
      bloodPressure(130, 85, '2026-03-10T07:00:00Z'),
    ];

    beforeAll(async () => {
      patientId = await newPatient();
      for (const body of series)
        await patient(patientId).post(observations(patientId)).send(body).expect(201);
      await patient(patientId).post(doses(patientId)).send(dose()).expect(201);
    });

    const ask = (query: Record<string, string>) => patient(patientId).get(summary(patientId)).query(query);

    it('gives exact min, max, mean and count per UTC day', async () => {
      const res = await ask({ code: '29463-7', from: '2026-03-07', to: '2026-03-12', bucket: 'day' }).expect(
        200,
      );
      expect(res.body).toEqual({
        patientId,
        bucket: 'day',
        from: '2026-03-07T00:00:00.000Z',
        to: '2026-03-12T00:00:00.000Z',
        series: [
          {
            code: '29463-7',
            unit: 'kg',
            buckets: [
              {
                key: '2026-03-07',
                start: '2026-03-07T00:00:00.000Z',
                end: '2026-03-08T00:00:00.000Z',
                count: 2,
                min: 71,
                max: 73,
                mean: 72,
              },
              {
                key: '2026-03-08',
                start: '2026-03-08T00:00:00.000Z',
                end: '2026-03-09T00:00:00.000Z',
                count: 2,
                min: 72.5,
                max: 74,
                mean: 73.25,
              },
              {
                key: '2026-03-09',
                start: '2026-03-09T00:00:00.000Z',
                end: '2026-03-10T00:00:00.000Z',
                count: 1,
                min: 70,
                max: 70,
                mean: 70,
              },
              {
                key: '2026-03-11',
                start: '2026-03-11T00:00:00.000Z',
                end: '2026-03-12T00:00:00.000Z',
                count: 1,
                min: 69.5,
                max: 69.5,
                mean: 69.5,
              },
            ],
          },
        ],
      });
    });

    it('gives ISO weeks (Monday to Sunday, UTC) for both blood pressure components', async () => {
      const res = await ask({
        code: '29463-7,8480-6,8462-4',
        from: '2026-03-02',
        to: '2026-03-16',
        bucket: 'week',
      }).expect(200);
      const [weights, systolic, diastolic] = res.body.series;
      expect(weights.buckets).toEqual([
        {
          key: '2026-W10',
          start: '2026-03-02T00:00:00.000Z',
          end: '2026-03-09T00:00:00.000Z',
          count: 4,
          min: 71,
          max: 74,
          mean: 72.625,
        },
        {
          key: '2026-W11',
          start: '2026-03-09T00:00:00.000Z',
          end: '2026-03-16T00:00:00.000Z',
          count: 2,
          min: 69.5,
          max: 70,
          mean: 69.75,
        },
      ]);
      expect(systolic).toMatchObject({
        code: '8480-6',
        unit: 'mm[Hg]',
        buckets: [{ key: '2026-W11', count: 3, min: 120, max: 140, mean: 130 }],
      });
      expect(diastolic).toMatchObject({
        code: '8462-4',
        buckets: [{ key: '2026-W11', count: 3, min: 80, max: 90, mean: 85 }],
      });
    });

    it('counts only what lies in [from, to), even inside a partly covered week', async () => {
      const res = await ask({
        code: '29463-7',
        from: '2026-03-08T00:00:00Z',
        to: '2026-03-09T00:00:00Z',
        bucket: 'week',
      }).expect(200);
      expect(res.body.series[0].buckets).toEqual([
        expect.objectContaining({ key: '2026-W10', count: 2, min: 72.5, max: 74 }),
      ]);
    });

    it('is computed by the store: only aggregation pipelines, each answering per bucket, never the raw series', async () => {
      const model = ctx.app.get<Model<unknown>>(getModelToken('PatientReportedRecord'));
      const pipelines: PipelineStage[][] = [];
      const original = model.aggregate.bind(model) as (pipeline: PipelineStage[]) => unknown;
      const aggregate = jest.spyOn(model, 'aggregate').mockImplementation(((pipeline: PipelineStage[]) => {
        pipelines.push(pipeline);
        return original(pipeline);
      }) as never);
      const find = jest.spyOn(model, 'find');
      try {
        await ask({ code: '29463-7', from: '2026-03-07', to: '2026-03-12', bucket: 'day' }).expect(200);
      } finally {
        aggregate.mockRestore();
        find.mockRestore();
      }
      expect(find).not.toHaveBeenCalled();
      // One pipeline: count, sum, min and max grouped by day key, one document per non-empty day.
      expect(pipelines).toHaveLength(1);
      const answered = await db.collection('patient_reported_records').aggregate(pipelines[0]).toArray();
      expect(answered).toHaveLength(4);
      expect(JSON.stringify(pipelines)).toContain('"$group"');
    });

    it('runs listings and the summary pipeline match on the index declared for them', async () => {
      const collection = db.collection('patient_reported_records');
      const listing = { patientId, kind: 'Observation', deleted: false };
      const leadsListing = (keys: string[]) => keys.join() === 'patientId,kind,effectiveAt,_id';
      expect(await servedByIndex(collection, listing, { effectiveAt: -1, _id: -1 }, leadsListing)).toBe(true);
      const period = { ...listing, 'samples.weight': { $exists: true }, effectiveAt: { $gte: new Date(0) } };
      expect(await servedByIndex(collection, period, {}, leadsListing)).toBe(true);
    });

    it('refuses bad summary questions with 400', async () => {
      await ask({ code: '29463-7', from: '2026-03-07', to: '2026-03-12', bucket: 'month' }).expect(400);
      await ask({ code: '1234-5', from: '2026-03-07', to: '2026-03-12', bucket: 'day' }).expect(400);
      await ask({ code: '29463-7', from: '2026-03-12', to: '2026-03-07', bucket: 'day' }).expect(400);
      await ask({ code: '29463-7', from: '2026-01-01', to: '2026-12-31', bucket: 'day' }).expect(400);
      await ask({ code: '29463-7', from: '2026-03-07', bucket: 'day' }).expect(400);
      await patient(patientId)
        .get(summary(patientId))
        .query('code[$gt]=&from=2026-03-07&to=2026-03-08&bucket=day')
        .expect(400);
    });

    it('ledgers each summary with the patient and how many buckets, without a value', async () => {
      await ctx
        .as()
        .get(summary(patientId))
        .query({ code: '8480-6', from: '2026-03-01', to: '2026-03-31', bucket: 'day' })
        .expect(200);
      const entries = await entriesFor({ patientId, action: 'search', 'actor.id': 'user-clinician-1' });
      expect(entries).toEqual([
        expect.objectContaining({ resourceType: 'PatientReportedObservation', outcome: 200, count: 2 }),
      ]);
      expect(JSON.stringify(entries.map(withoutHashes))).not.toMatch(/120|140/);
    });
  });
});
