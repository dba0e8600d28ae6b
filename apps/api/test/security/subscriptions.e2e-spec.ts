import { Role } from '@hdp/platform';
import { MongoClient } from 'mongodb';
import request from 'supertest';
import { ProbeController } from '../support/probe.controller';
import { startTestApp, TestApp } from '../support/test-app';

describe('Subscription keys', () => {
  const admin = { id: 'admin-1', roles: [Role.Admin], scopes: [] };
  const base = '/api/v1/admin/subscriptions';
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await startTestApp({}, { controllers: [ProbeController] });
  });

  afterAll(() => ctx.close());

  async function createSubscription(overrides: object = {}) {
    const res = await ctx
      .as(admin)
      .post(base)
      .send({ name: 'Lab system', tier: 'standard', scopes: ['system/Patient.rs'], ...overrides })
      .expect(201);
    return res.body as { id: string; primaryKey: string; secondaryKey: string };
  }
  const withKey = (key: string, path = '/probe/whoami') =>
    request(ctx.http).get(path).set('ocp-apim-subscription-key', key);

  it('creates a subscription whose two keys are shown once, and authenticate the partner system', async () => {
    const created = await createSubscription();
    expect(created.primaryKey).not.toBe(created.secondaryKey);
    const shown = await ctx.as(admin).get(`${base}/${created.id}`).expect(200);
    expect(shown.body).toMatchObject({ id: created.id, keys: { primary: 'active', secondary: 'active' } });
    expect(JSON.stringify(shown.body)).not.toContain(created.primaryKey.split('.')[1]);

    const res = await withKey(created.secondaryKey).expect(200);
    expect(res.body.principal).toEqual({
      id: created.id,
      clientId: created.id,
      roles: ['partner-system'],
      scopes: ['system/Patient.rs'],
    });
    await withKey(created.primaryKey, '/probe/patients/p1').expect(200);
    await request(ctx.http)
      .post('/probe/observations')
      .set('ocp-apim-subscription-key', created.primaryKey)
      .expect(403);
  });

  it('stores only keyed hashes of the keys', async () => {
    const created = await createSubscription();
    const client = await MongoClient.connect(ctx.database.uri);
    try {
      const stored = await client
        .db()
        .collection('subscriptions')
        .findOne({ _id: created.id as never });
      const text = JSON.stringify(stored);
      expect(text).not.toContain(created.primaryKey.split('.')[1]);
      expect(text).not.toContain(created.secondaryKey.split('.')[1]);
      expect(stored?.primaryKeyHash).toMatch(/^[\da-f]{64}$/);
    } finally {
      await client.close();
    }
  });

  it('rotates one key while the other serves, without a single failed request', async () => {
    const created = await createSubscription();
    let serving = true;
    const statuses: number[] = [];
    const traffic = (async () => {
      while (serving) statuses.push((await withKey(created.secondaryKey)).status);
    })();

    const rotated = await ctx.as(admin).post(`${base}/${created.id}/keys/primary/rotate`).expect(200);
    await withKey(rotated.body.key).expect(200);
    serving = false;
    await traffic;

    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((status) => status === 200)).toBe(true);
    await withKey(created.primaryKey).expect(401);
    expect(rotated.body).toEqual({ subscriptionId: created.id, slot: 'primary', key: expect.any(String) });
    expect(rotated.headers['cache-control']).toBe('no-store');
  });

  it('revokes a key at once', async () => {
    const created = await createSubscription();
    await ctx.as(admin).post(`${base}/${created.id}/keys/secondary/revoke`).expect(204);
    await withKey(created.secondaryKey).expect(401);
    await withKey(created.primaryKey).expect(200);
    const shown = await ctx.as(admin).get(`${base}/${created.id}`).expect(200);
    expect(shown.body.keys).toEqual({ primary: 'active', secondary: 'revoked' });
  });

  it('refuses a key of one subscription presented under another subscription id', async () => {
    const a = await createSubscription();
    const b = await createSubscription();
    await withKey(`${b.id}.${a.primaryKey.split('.')[1]}`).expect(401);
  });

  it('keeps the admin API to admins, and validates its input', async () => {
    await ctx
      .as({ roles: [Role.Clinician] })
      .post(base)
      .send({ name: 'x', tier: 'standard', scopes: [] })
      .expect(403);
    await request(ctx.http).post(base).send({ name: 'x', tier: 'standard', scopes: [] }).expect(401);
    await ctx.as(admin).post(base).send({ name: 'x', tier: 'gold', scopes: [] }).expect(400);
    await ctx.as(admin).post(`${base}/sub_000000000000000000000000/keys/tertiary/rotate`).expect(400);
    await ctx.as(admin).post(`${base}/sub_000000000000000000000000/keys/primary/rotate`).expect(404);
  });
});
