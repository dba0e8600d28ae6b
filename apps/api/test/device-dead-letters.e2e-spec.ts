import { Role } from '@hdp/platform';
import { MongoClient } from 'mongodb';
import { readMedTechFixture } from '../../../libs/device-ingest/test-fixtures/fixture-files';
import { heartRate, templateFiles } from '../../../libs/device-ingest/test-fixtures/pipeline-harness';
import { startTestApp, TestApp } from './support/test-app';

const gateway = {
  id: 'gw-1',
  clientId: 'gateway',
  roles: [Role.PartnerSystem],
  scopes: ['system/Observation.write'],
};
const admin = { id: 'admin-1', clientId: 'ops', roles: [Role.Admin], scopes: [] };

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await probe();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition not reached in 10 s');
}

describe('device dead letters', () => {
  const templates = templateFiles(JSON.stringify({ templateType: 'CollectionFhir', template: [] }));
  let ctx: TestApp;
  let client: MongoClient;

  beforeAll(async () => {
    ctx = await startTestApp({
      ...templates.env,
      DEVICE_INGEST_ENABLED: 'true',
      DEVICE_INTAKE_POLL_MS: '50',
      DEVICE_IDENTITY_RESOLUTION: 'Create',
    });
    client = await MongoClient.connect(ctx.database.uri);
  });
  afterAll(async () => {
    await client.close();
    await ctx.close();
  });

  it('keeps an unmappable event as a dead letter, and replay after the template fix writes its Observation', async () => {
    await ctx
      .as(gateway)
      .post('/api/v1/device-events')
      .send([heartRate(5, 71)])
      .expect(202);
    const letters = await until(
      async () =>
        (await ctx.as(admin).get('/api/v1/device-dead-letters').expect(200)).body as { id: string }[],
      (list) => list.length === 1,
    );
    expect(letters[0]).toMatchObject({
      source: 'http',
      reason: 'no-fhir-template',
      errorType: 'FhirMappingError',
    });
    const db = client.db(ctx.database.name);
    expect(
      await until(
        () => db.collection('device_intake').countDocuments(),
        (n) => n === 0,
      ),
    ).toBe(0);
    expect(
      await ctx
        .as()
        .get('/api/v1/device-dead-letters')
        .then((r) => r.status),
    ).toBe(403);

    templates.writeFhir(readMedTechFixture('basic_fhirmapping.json'));
    const replay = await ctx
      .as(admin)
      .post(`/api/v1/device-dead-letters/${letters[0].id}/$replay`)
      .expect(200);

    expect(replay.body).toEqual({ id: letters[0].id, outcome: 'replayed', observationsWritten: 1 });
    const [stored] = await db.collection<{ _id: string }>('test_results').find({}).toArray();
    const observation = (await ctx.as().get(`/fhir/R4/Observation/${stored._id}`).expect(200)).body as {
      valueSampledData: { data: string };
    };
    expect(observation.valueSampledData.data).toContain('71');
    expect((await ctx.as(admin).get('/api/v1/device-dead-letters').expect(200)).body).toEqual([]);
    await ctx.as(admin).post(`/api/v1/device-dead-letters/${letters[0].id}/$replay`).expect(404);
  });
});
