import request from 'supertest';
import { ProbeController } from '../support/probe.controller';
import { startTestApp, TestApp } from '../support/test-app';
import { TestMetrics } from '../support/test-metrics';

describe('Hardening', () => {
  const meters = new TestMetrics();
  let ctx: TestApp;
  let withCors: TestApp;
  let issuerDown: TestApp;

  beforeAll(async () => {
    ctx = await startTestApp(
      { RATE_LIMIT_CALLS: '1', REQUEST_TIMEOUT_MS: '1000' },
      { controllers: [ProbeController] },
    );
    withCors = await startTestApp({ CORS_ORIGINS: 'https://ward.example.nhs.uk' });
    issuerDown = await startTestApp(
      { OIDC_ISSUER: 'http://127.0.0.1:9' },
      { controllers: [ProbeController] },
    );
  });

  afterAll(async () => {
    await ctx.close();
    await withCors.close();
    await issuerDown.close();
  });

  it('sends no CORS headers unless origins are configured', async () => {
    const res = await request(ctx.http)
      .options('/health/live')
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'GET');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows only the configured origins', async () => {
    const allowed = await request(withCors.http)
      .options('/health/live')
      .set('origin', 'https://ward.example.nhs.uk')
      .set('access-control-request-method', 'GET');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://ward.example.nhs.uk');
    const other = await request(withCors.http).get('/health/live').set('origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 401, not 500, when the issuer cannot be reached', async () => {
    const token = await issuerDown.issuer.sign({ sub: 'u' }, { issuer: 'http://127.0.0.1:9' });
    const res = await request(issuerDown.http).get('/probe/whoami').set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|stack|at /);
  });

  it('answers an oversized credential with 401', async () => {
    await request(ctx.http)
      .get('/probe/whoami')
      .set('authorization', `Bearer ${'a'.repeat(9000)}.b.c`)
      .expect(401);
  });

  it('cuts off a handler that runs past the request timeout with a 503', async () => {
    const res = await ctx.as({ clientId: 'slow' }).get('/probe/slow').expect(503);
    expect(res.body).toMatchObject({ status: 503, detail: 'The request took too long; try again.' });
  });

  it('lets a write run past the request timeout to its answer: a 503 would invite a retry of a change that commits', async () => {
    const res = await ctx.as({ clientId: 'slow-writer' }).post('/probe/slow').expect(201);
    expect(res.body).toEqual({ written: 1 });
  });

  it('counts 429s by limit', async () => {
    const before = await meters.value('security.rate_limit.rejections', { limit: 'rate' });
    await ctx.as({ clientId: 'counted' }).get('/probe/whoami').expect(200);
    await ctx.as({ clientId: 'counted' }).get('/probe/whoami').expect(429);
    expect(await meters.value('security.rate_limit.rejections', { limit: 'rate' })).toBe(before + 1);
  });
});
