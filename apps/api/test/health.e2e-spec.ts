import { execFileSync } from 'node:child_process';
import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';

describe('Health', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await startTestApp();
  });

  afterAll(() => ctx.close());

  it('reports the process live', async () => {
    await request(ctx.http).get('/health/live').expect(200, { status: 'ok' });
  });

  it('reports ready when the database answers', async () => {
    const res = await request(ctx.http).get('/health/ready').expect(200);
    expect(res.body.details.database.status).toBe('up');
  });
});

describe('Readiness when the database goes away', () => {
  // An engine of this suite's own, so stopping it does not disturb suites running in parallel.
  const port = String(Number(process.env.TEST_FERRETDB_PORT ?? 27217) + 2);
  const engine = (...args: string[]) =>
    execFileSync('bash', ['scripts/ferretdb.sh', ...args], { stdio: 'pipe' });
  let ctx: TestApp;

  beforeAll(async () => {
    engine('start', port);
    ctx = await startTestApp({
      MONGODB_URI: `mongodb://127.0.0.1:${port}/readiness`,
      READINESS_TIMEOUT_MS: '500',
    });
  });

  afterAll(async () => {
    await ctx.app.close();
    engine('stop', port);
  });

  it('answers 503 with Retry-After on every face while the database is stopped, and recovers when it returns', async () => {
    const ready = async () => (await request(ctx.http).get('/health/ready')).status;
    // The engine has just started: on a loaded machine its first answers can outlast the 500 ms check.
    await expect(eventually(ready)).resolves.toBe(200);

    engine('stop', port);
    const down = await request(ctx.http).get('/health/ready').expect(503);
    expect(down.body).toMatchObject({ status: 503, detail: 'Not ready: database unavailable.' });
    await request(ctx.http).get('/health/live').expect(200);

    const patientId = '6f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5';
    const rest = await ctx.as().get(`/api/v1/patients/${patientId}`).expect(503);
    expect(rest.headers['retry-after']).toBe('5');
    expect(rest.body).toMatchObject({ status: 503 });
    expect(rest.body.detail).toMatch(/^The data store is unavailable; try again shortly\./);
    const byKey = await request(ctx.http)
      .get(`/api/v1/patients/${patientId}`)
      .set('ocp-apim-subscription-key', `sub_${'0'.repeat(24)}.${'k'.repeat(43)}`)
      .expect(503);
    expect(byKey.body.status).toBe(503);
    const fhir = await ctx.as().get(`/fhir/R4/Patient/${patientId}`).expect(503);
    expect(fhir.headers['retry-after']).toBe('5');
    expect(fhir.body).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'fatal', code: 'transient' }],
    });

    engine('start', port);
    await expect(eventually(ready)).resolves.toBe(200);
  }, 90_000); // each call during the outage waits out the driver's 5 s server selection
});

async function eventually(probe: () => Promise<number>, want = 200, timeoutMs = 15000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (last !== want && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await probe();
  }
  return last;
}
