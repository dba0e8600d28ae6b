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
    engine('start', 'postgresql', port);
    ctx = await startTestApp({
      MONGODB_URI: `mongodb://127.0.0.1:${port}/readiness`,
      READINESS_TIMEOUT_MS: '500',
    });
  });

  afterAll(async () => {
    await ctx.app.close();
    engine('stop', port);
  });

  it('goes 503 while the database is stopped and back to 200 when it returns', async () => {
    await request(ctx.http).get('/health/ready').expect(200);

    engine('stop', port);
    const down = await request(ctx.http).get('/health/ready').expect(503);
    expect(down.body).toMatchObject({ status: 503, detail: 'Not ready: database unavailable.' });
    await request(ctx.http).get('/health/live').expect(200);

    engine('start', 'postgresql', port);
    await expect(eventually(async () => (await request(ctx.http).get('/health/ready')).status)).resolves.toBe(
      200,
    );
  });
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
