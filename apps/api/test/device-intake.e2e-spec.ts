import { Role } from '@hdp/platform';
import { MongoClient } from 'mongodb';
import { heartRate, templateFiles } from '../../../libs/device-ingest/test-fixtures/pipeline-harness';
import { startTestApp, TestApp } from './support/test-app';

const gateway = {
  id: 'gw-1',
  clientId: 'gateway',
  roles: [Role.PartnerSystem],
  scopes: ['system/Observation.write'],
};

describe('POST /api/v1/device-events', () => {
  let ctx: TestApp;
  let client: MongoClient;
  const queued = () => client.db(ctx.database.name).collection('device_intake').countDocuments();

  beforeAll(async () => {
    ctx = await startTestApp({ ...templateFiles().env, DEVICE_INTAKE_MAX_EVENTS: '3' });
    client = await MongoClient.connect(ctx.database.uri);
  });
  afterAll(async () => {
    await client.close();
    await ctx.close();
  });

  it('queues a gateway batch and reports the events it refused, by index and reason', async () => {
    const res = await ctx
      .as(gateway)
      .post('/api/v1/device-events')
      .send([heartRate(1), 42, { $where: 'x' }]);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      accepted: 1,
      rejected: [
        { index: 1, reason: 'not-an-object' },
        { index: 2, reason: 'forbidden-key' },
      ],
    });
    expect(await queued()).toBe(1);
  });

  it('accepts NDJSON and refuses a line that is not JSON', async () => {
    const before = await queued();
    const body = `${JSON.stringify(heartRate(2))}\n{not json\n`;
    const res = await ctx
      .as(gateway)
      .post('/api/v1/device-events')
      .set('Content-Type', 'application/x-ndjson')
      .send(body);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 1, rejected: [{ index: 1, reason: 'invalid-json' }] });
    expect(await queued()).toBe(before + 1);
  });

  it.each([
    ['malformed JSON', 'application/json', '[{"deviceid":', 400],
    ['an object instead of an array', 'application/json', '{"deviceid":"d"}', 400],
    ['an empty batch', 'application/json', '[]', 400],
    ['only refused events', 'application/json', '[1, "two", {"a": {"$gt": 1}}]', 400],
    ['more events than a batch holds', 'application/json', JSON.stringify([{}, {}, {}, {}]), 413],
    ['plain text', 'text/plain', 'hello', 415],
  ])('answers %s with a clear 4xx and stores nothing', async (_story, type, body, status) => {
    const before = await queued();
    const res = await ctx.as(gateway).post('/api/v1/device-events').set('Content-Type', type).send(body);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await queued()).toBe(before);
  });

  it('refuses a clinician (403) and an anonymous caller (401)', async () => {
    expect(
      (
        await ctx
          .as()
          .post('/api/v1/device-events')
          .send([heartRate(3)])
      ).status,
    ).toBe(403);
    const { default: request } = await import('supertest');
    expect(
      (
        await request(ctx.http)
          .post('/api/v1/device-events')
          .send([heartRate(3)])
      ).status,
    ).toBe(401);
  });
});
