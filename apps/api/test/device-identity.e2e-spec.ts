/* eslint-disable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- supertest gives untyped bodies */
import { IngestPipelineFactory } from '@hdp/device-ingest';
import { Role } from '@hdp/platform';
import { Db } from 'mongodb';
import {
  deviceTemplatesWithEncounter,
  heartRate,
  ingest,
  readingsIn,
  templateFiles,
} from '../../../libs/device-ingest/test-fixtures/pipeline-harness';
import { readMedTechFixture } from '../../../libs/device-ingest/test-fixtures/fixture-files';
import { FHIR_JSON } from './support/fhir-fixtures';
import { patientBody, startAuditedApp } from './support/patients-fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- FHIR JSON as the tests read it
type Resource = Record<string, any>;
const admin = { id: 'admin-1', clientId: 'ops', roles: [Role.Admin], scopes: [] };
const auditor = { id: 'auditor-1', clientId: 'audit', roles: [Role.Auditor], scopes: [] };

/** The suite's app, with helpers to seed patients, devices and encounters over the FHIR face. */
async function start(env: Record<string, string>) {
  const { ctx, db, close } = await startAuditedApp(env);
  const postFhir = async (type: string, body: Resource): Promise<string> =>
    (
      await ctx
        .as()
        .post(`/fhir/R4/${type}`)
        .set('content-type', FHIR_JSON)
        .send(JSON.stringify({ resourceType: type, ...body }))
        .expect(201)
    ).body.id;
  return {
    ctx,
    db,
    close,
    pipelines: ctx.app.get(IngestPipelineFactory),
    newPatient: async (): Promise<string> =>
      (await ctx.as().post('/api/v1/patients').send(patientBody()).expect(201)).body.id,
    newDevice: (value: string, patientId?: string) =>
      postFhir('Device', {
        identifier: [{ system: 'urn:hdp:device-id', value }],
        ...(patientId ? { patient: { reference: `Patient/${patientId}` } } : {}),
      }),
    newEncounter: (value: string, patientId: string) =>
      postFhir('Encounter', {
        identifier: [{ system: 'urn:hdp:encounter-id', value }],
        status: 'in-progress',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
        subject: { reference: `Patient/${patientId}` },
      }),
    deadLetters: async (): Promise<Resource[]> =>
      (await ctx.as(admin).get('/api/v1/device-dead-letters').expect(200)).body,
    observationsOf: async (patientId: string): Promise<Resource[]> =>
      (
        (await ctx.as().get(`/fhir/R4/Observation?subject=Patient/${patientId}`).expect(200)).body.entry ?? []
      ).map((entry: Resource) => entry.resource),
  };
}

describe('device pipeline identity resolution: Lookup (the default)', () => {
  let app: Awaited<ReturnType<typeof start>>;
  let db: Db;

  beforeAll(async () => {
    app = await start(templateFiles().env);
    db = app.db;
  });
  afterAll(() => app.close());

  it('links readings to the Device found by identifier and its Patient, readable over FHIR and REST, ledgered as the pipeline', async () => {
    const patientId = await app.newPatient();
    const deviceId = await app.newDevice('watch-lookup', patientId);

    // The message's own patient id is not used by Lookup: the device's link decides.
    await ingest(
      app.pipelines,
      [0, 1, 2].map((s) => heartRate(s, 70 + s, 'watch-lookup', 'ignored')),
    );

    const [observation] = await app.observationsOf(patientId);
    expect(observation).toMatchObject({
      subject: { reference: `Patient/${patientId}` },
      device: { reference: `Device/${deviceId}` },
      status: 'final',
      meta: { versionId: '1' },
    });
    expect(readingsIn(observation as never)).toHaveLength(3);
    const rest = await app.ctx.as().get(`/api/v1/patients/${patientId}/test-results`).expect(200);
    expect(rest.body.items.map((item: Resource) => item.id)).toEqual([observation.id]);

    const ledger = await app.ctx
      .as(auditor)
      .get('/api/v1/audit-events?actor=device-pipeline&limit=100')
      .expect(200);
    const pipeline = { id: 'device-pipeline', clientId: 'device-pipeline', roles: [Role.PartnerSystem] };
    expect(ledger.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'read',
          resourceType: 'Device',
          resourceId: deviceId,
          outcome: 200,
        }),
        expect.objectContaining({
          action: 'create',
          resourceType: 'TestResult', // an Observation is a test result, ledgered as such
          resourceId: observation.id,
          patientId,
          outcome: 201,
          actor: pipeline,
          clientAddress: 'internal',
        }),
      ]),
    );
  });

  it('dead-letters the readings of an unknown device and of a device linked to no patient, and stores nothing', async () => {
    await app.newDevice('watch-unlinked');
    const before = await db.collection('test_results').countDocuments();
    await ingest(app.pipelines, [heartRate(0, 60, 'watch-unknown'), heartRate(1, 61, 'watch-unlinked')]);

    const letters = await app.deadLetters();
    expect(letters.map((letter) => letter.reason).sort()).toEqual(['device-not-found', 'device-not-linked']);
    expect(letters.every((letter) => letter.errorType === 'IdentityResolutionError')).toBe(true);
    expect(await db.collection('test_results').countDocuments()).toBe(before);
    expect(await db.collection('patients').countDocuments({ 'identifier.value': 'p-1' })).toBe(0);
  });

  it('dead-letters the readings of a deleted patient’s device, still writes the other device’s and checkpoints past both', async () => {
    const gone = await app.newPatient();
    await app.newDevice('watch-gone', gone);
    const live = await app.newPatient();
    await app.newDevice('watch-live', live);
    await app.ctx.as().delete(`/api/v1/patients/${gone}`).set('if-match', 'W/"1"').expect(204);
    const checkpoints: number[] = [];
    const pipeline = app.pipelines.create<number>({ source: 'event-hub', partitionId: '3' }, (position) => {
      checkpoints.push(position);
      return Promise.resolve();
    });
    const events = [
      heartRate(0, 70, 'watch-gone'),
      heartRate(1, 71, 'watch-gone'),
      heartRate(2, 72, 'watch-live'),
      heartRate(3, 73, 'watch-live'),
    ];

    await pipeline.process(events.map((body, position) => ({ body, position })));
    await pipeline.close();

    expect(checkpoints.at(-1)).toBe(3);
    const [observation] = await app.observationsOf(live);
    expect(readingsIn(observation as never)).toEqual([
      '2024-03-01T10:00:02.000Z=72',
      '2024-03-01T10:00:03.000Z=73',
    ]);
    const letters = (await app.deadLetters()).filter((letter) => letter.holds === 'group');
    expect(letters).toEqual([
      expect.objectContaining({
        source: 'event-hub',
        partitionId: '3',
        templateName: 'heartrate',
        errorType: 'UnknownSubjectError', // 422: the subject must be a live patient
        reason: 'observation-refused-unprocessable',
      }),
    ]);
    const kept = JSON.parse(letters[0].raw);
    expect(kept).toMatchObject({ type: 'heartrate', patientId: gone });
    expect(kept.measurements).toHaveLength(2);

    const replay = await app.ctx
      .as(admin)
      .post(`/api/v1/device-dead-letters/${letters[0].id}/$replay`)
      .expect(200);
    expect(replay.body).toEqual({
      id: letters[0].id,
      outcome: 'failed',
      reason: 'observation-refused-unprocessable',
    });
    expect(await db.collection('test_results').countDocuments({ patientId: gone, deleted: false })).toBe(0);
  });
});

describe('device pipeline identity resolution: LookupWithEncounter', () => {
  let app: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    const templates = templateFiles(
      readMedTechFixture('basic_fhirmapping.json'),
      deviceTemplatesWithEncounter(),
    );
    app = await start({ ...templates.env, DEVICE_IDENTITY_RESOLUTION: 'LookupWithEncounter' });
  });
  afterAll(() => app.close());

  it('links readings to the Encounter found by identifier; an unknown or another patient’s encounter is a dead letter', async () => {
    const patientId = await app.newPatient();
    const deviceId = await app.newDevice('watch-ward', patientId);
    const encounterId = await app.newEncounter('visit-1', patientId);
    await app.newEncounter('visit-other', await app.newPatient());
    const during = (encounter: string, second: number) => ({
      ...heartRate(second, 80, 'watch-ward'),
      encounterid: encounter,
    });

    await ingest(app.pipelines, [during('visit-1', 0), during('visit-404', 1), during('visit-other', 2)]);

    const observations = await app.observationsOf(patientId);
    expect(observations).toEqual([
      expect.objectContaining({
        subject: { reference: `Patient/${patientId}` },
        device: { reference: `Device/${deviceId}` },
        encounter: { reference: `Encounter/${encounterId}` },
      }),
    ]);
    expect((await app.deadLetters()).map((letter) => letter.reason).sort()).toEqual([
      'encounter-not-found',
      'encounter-of-another-patient',
    ]);
  });
});
