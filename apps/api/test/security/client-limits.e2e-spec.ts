import { Role } from '@hdp/platform';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { ProbeController } from '../support/probe.controller';
import { startTestApp, TestApp } from '../support/test-app';

const statuses = (responses: request.Response[]) => responses.map((res) => res.status);
const count = (all: number[], status: number) => all.filter((s) => s === status).length;

describe('One rate-limit counter per client, whatever the credential', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await startTestApp({ RATE_LIMIT_CALLS: '1000' }, { controllers: [ProbeController] });
  });

  afterAll(() => ctx.close());

  it('counts a subscription’s primary key, secondary key and tokens of its client id together', async () => {
    const created = await ctx
      .as({ roles: [Role.Admin], clientId: `admin-${randomBytes(4).toString('hex')}` })
      .post('/api/v1/admin/subscriptions')
      .send({ name: 'Busy lab', tier: 'standard', scopes: [], rateLimitCalls: 6 })
      .expect(201);
    const { id, primaryKey, secondaryKey } = created.body as Record<string, string>;
    const byKey = (key: string) => () =>
      request(ctx.http).get('/probe/whoami').set('ocp-apim-subscription-key', key);
    const byToken = () => ctx.as({ clientId: id }).get('/probe/whoami');
    const calls = [byKey(primaryKey), byKey(secondaryKey), byToken];
    const responses: request.Response[] = [];
    for (let i = 0; i < 18; i++) responses.push(await calls[i % 3]());
    expect(count(statuses(responses), 200)).toBe(6);
    expect(count(statuses(responses), 429)).toBe(12);
  });
});

describe('Throttle on authentication and authorisation failures per client address', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await startTestApp(
      { AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_PERIOD_S: '60', TRUSTED_PROXIES: '127.0.0.1/32,::1/128' },
      { controllers: [ProbeController] },
    );
  });

  afterAll(() => ctx.close());

  const from = (address: string) => ({
    guess: () =>
      request(ctx.http)
        .get('/probe/whoami')
        .set('x-forwarded-for', address)
        .set('ocp-apim-subscription-key', `sub_${'0'.repeat(24)}.${randomBytes(32).toString('base64url')}`),
    forbidden: () => ctx.as({ scopes: [] }).get('/probe/patients/p1').set('x-forwarded-for', address),
    valid: () => ctx.as().get('/probe/whoami').set('x-forwarded-for', address),
  });

  it('answers 429 with Retry-After after N refused guesses, then even a valid credential from there', async () => {
    const guesser = from('203.0.113.9');
    for (let i = 0; i < 3; i++) await guesser.guess().expect(401);
    const refused = await guesser.guess().expect(429);
    expect(refused.body).toMatchObject({ status: 429 });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    await guesser.valid().expect(429);
    await from('203.0.113.10').valid().expect(200);
  });

  it('counts 403s with 401s', async () => {
    const prober = from('203.0.113.20');
    await prober.forbidden().expect(403);
    await prober.guess().expect(401);
    await prober.forbidden().expect(403);
    await prober.forbidden().expect(429);
  });

  it('does not count answered calls', async () => {
    const client = from('203.0.113.30');
    for (let i = 0; i < 10; i++) await client.valid().expect(200);
  });
});
