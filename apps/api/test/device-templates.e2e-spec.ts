import { Role } from '@hdp/platform';
import type { Observation } from 'fhir/r4';
import { MongoClient } from 'mongodb';
import { parseJson, readMedTechFixture } from '../../../libs/device-ingest/test-fixtures/fixture-files';
import { heartRate, templateFiles } from '../../../libs/device-ingest/test-fixtures/pipeline-harness';
import { startTestApp, TestApp } from './support/test-app';

const admin = { id: 'admin-1', clientId: 'ops', roles: [Role.Admin], scopes: [] };
const gateway = {
  id: 'gw-1',
  clientId: 'gateway',
  roles: [Role.PartnerSystem],
  scopes: ['system/Observation.write'],
};
const deviceTemplate = parseJson(readMedTechFixture('basic_devicecontent.json')) as object;
const fhirTemplate = parseJson(readMedTechFixture('basic_fhirmapping.json')) as object;

describe('POST /api/v1/device-templates/$test', () => {
  const templates = templateFiles();
  let ctx: TestApp;
  let client: MongoClient;
  const test = (body: object) => ctx.as(admin).post('/api/v1/device-templates/$test').send(body);

  beforeAll(async () => {
    ctx = await startTestApp(templates.env);
    client = await MongoClient.connect(ctx.database.uri);
  });
  afterAll(async () => {
    await client.close();
    await ctx.close();
  });

  it('shows an admin the measurements and the Observation a sample message would give, and stores nothing', async () => {
    const res = await test({ message: heartRate(5, 71), deviceTemplate, fhirTemplate }).expect(200);

    expect(res.body.measurements).toEqual([
      {
        type: 'heartrate',
        occurrenceTimeUtc: '2024-03-01T10:00:05.000Z',
        deviceId: 'watch-1',
        patientId: 'p-1',
        properties: [{ name: 'hr', value: '71' }],
      },
    ]);
    expect(res.body.observations).toHaveLength(1);
    const [observation] = res.body.observations as Observation[];
    expect(observation).toMatchObject({
      resourceType: 'Observation',
      status: 'final',
      identifier: [{ value: 'p-1.watch-1.heartrate.20240301100000Z.20240301105959Z' }],
      subject: { reference: 'Patient/p-1' },
      device: { reference: 'Device/watch-1' },
      effectivePeriod: { start: '2024-03-01T10:00:00.0000000Z', end: '2024-03-01T10:59:59.9999999Z' },
      issued: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      valueSampledData: { period: 1000 },
    });
    expect(res.body.warnings).toBeUndefined();
    expect(observation.valueSampledData?.data?.split(' ').slice(4, 7)).toEqual(['E', '71', 'E']);
    const db = client.db(ctx.database.name);
    for (const collection of [
      'test_results',
      'devices',
      'patients',
      'device_dead_letters',
      'device_intake',
    ]) {
      expect(await db.collection(collection).countDocuments()).toBe(0);
    }
  });

  it('keeps the device’s sub-millisecond time in the measurement and writes MedTech’s period bounds', async () => {
    const message = { ...heartRate(2, 72), measurementdatetime: '2024-03-01T10:00:02.6073744Z' };
    const res = await test({ message, deviceTemplate, fhirTemplate }).expect(200);

    const [observation] = res.body.observations as Observation[];
    expect(res.body.measurements[0].occurrenceTimeUtc).toBe('2024-03-01T10:00:02.6073744Z');
    expect(observation.effectivePeriod).toEqual({
      start: '2024-03-01T10:00:00.0000000Z',
      end: '2024-03-01T10:59:59.9999999Z',
    });
    expect(observation.valueSampledData?.data?.split(' ').slice(1, 4)).toEqual(['E', '72', 'E']);
  });

  it('refuses two heart rates for one hourly Quantity Observation with 422 multiple-values, echoing no reading', async () => {
    const heartRateValue = { valueType: 'Quantity', valueName: 'hr', unit: 'count/min' };
    const quantity = {
      templateType: 'CollectionFhir',
      template: [
        {
          templateType: 'CodeValueFhir',
          template: { typeName: 'heartrate', codes: [], periodInterval: 60, value: heartRateValue },
        },
      ],
    };
    const message = { readings: [heartRate(1, 171), heartRate(2, 172)] };
    const res = await test({ message, deviceTemplate, fhirTemplate: quantity }).expect(422);

    expect(res.body.detail).toBe(
      "Measurement type 'heartrate' value 'hr': multiple-values (expected 1 value, received 2)",
    );
    expect(JSON.stringify(res.body)).not.toMatch(/171|172|watch-1|p-1/);
  });

  it('warns, as MedTech’s validator does, of a device value that no FHIR template value takes', async () => {
    const renamed = JSON.parse(
      JSON.stringify(fhirTemplate).replace('"valueName":"hr"', '"valueName":"heartRate"'),
    ) as object;
    const res = await test({ message: heartRate(1), deviceTemplate, fhirTemplate: renamed }).expect(200);

    expect(res.body.warnings).toEqual([
      {
        path: '$.template[0].template.values[0].valueName',
        message:
          'The value [hr] is not represented within the FHIR template of type [heartrate]. Available values are: [heartRate]. No value will appear inside of Observations.',
      },
    ]);
    expect(res.body.observations[0].valueSampledData).toBeUndefined();
  });

  it('gives the measurements alone when no FHIR template is sent, and none for a message no template matches', async () => {
    const matched = await test({ message: heartRate(1), deviceTemplate }).expect(200);
    expect(matched.body).toEqual({ measurements: [expect.objectContaining({ type: 'heartrate' })] });

    const unmatched = await test({ message: { temperature: 37 }, deviceTemplate, fhirTemplate }).expect(200);
    expect(unmatched.body).toEqual({ measurements: [], observations: [] });
  });

  it('names every problem of a bad template by its place in the document', async () => {
    const bad = {
      templateType: 'CollectionContent',
      template: [
        {
          templateType: 'JsonPathContent',
          template: { typeName: 'hr', typeMatchExpression: '$..[?(@hr', colour: 'red' },
        },
      ],
    };
    const res = await test({ message: heartRate(1), deviceTemplate: bad }).expect(422);

    const paths = (res.body.errors as { path: string }[]).map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '$.template[0].template.colour',
        '$.template[0].template.typeMatchExpression',
        '$.template[0].template.deviceIdExpression',
      ]),
    );
  });

  it('reports a message that matches but cannot be read with the template and field, without echoing the reading', async () => {
    const message = { ...heartRate(1, 77), measurementdatetime: 'not-a-time-0177' };
    const res = await test({ message, deviceTemplate, fhirTemplate }).expect(422);

    expect(res.body.errors).toEqual([
      { path: '$.template[0].template.timestampExpression', message: 'invalid-timestamp' },
    ]);
    expect(res.body.detail).toContain("Template 'heartrate'");
    expect(JSON.stringify(res.body)).not.toMatch(/0177|watch-1|p-1/);
  });

  it('reports a measurement type the FHIR template does not map', async () => {
    const onlySteps = { templateType: 'CollectionFhir', template: [] };
    const res = await test({ message: heartRate(1), deviceTemplate, fhirTemplate: onlySteps }).expect(422);
    expect(res.body.detail).toBe("Measurement type 'heartrate': no-fhir-template");
  });

  it('refuses a body without a message or template, or with unknown fields (400), and non-admins (403)', async () => {
    await test({ deviceTemplate }).expect(400);
    await test({ message: heartRate(1), deviceTemplate: 'text' }).expect(400);
    await test({ message: heartRate(1), deviceTemplate, extra: true }).expect(400);
    await ctx
      .as(gateway)
      .post('/api/v1/device-templates/$test')
      .send({ message: heartRate(1), deviceTemplate })
      .expect(403);
  });

  it('re-reads the configured template files on an admin call, refusing a bad replacement with its problems', async () => {
    const reload = () => ctx.as(admin).post('/api/v1/device-templates/$reload');
    templates.writeFhir(
      '{"templateType": "CollectionFhir", "template": [{"templateType": "CodeValueFhir"}]}',
    );
    const refused = await reload().expect(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: '$.template[0].template' })]);

    templates.writeFhir(readMedTechFixture('basic_fhirmapping.json'));
    await reload().expect(200, { reloaded: true });
    await ctx.as(gateway).post('/api/v1/device-templates/$reload').expect(403);
  });
});
