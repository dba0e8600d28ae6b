import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { freePort } from './support/app-process';
import { patientBody } from './support/patients-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const STORE_TIMEOUT_MS = 2000;

/**
 * A store that stops answering (its process paused with SIGSTOP, so connections stay open and silent):
 * every call is bounded by STORE_TIMEOUT_MS and answered 503 with Retry-After, and a write retried as a
 * conditional write applies at most once.
 */
describe('Store calls when the store stops answering', () => {
  const engine = (...args: string[]) =>
    execFileSync('bash', ['scripts/ferretdb.sh', ...args], { stdio: 'pipe' });
  let port: string;
  let ctx: TestApp;
  let paused = false;

  const signal = (name: 'SIGSTOP' | 'SIGCONT') => {
    const pid = Number(readFileSync(path.join('.data', 'ferretdb', `${port}.pid`), 'utf8'));
    process.kill(pid, name);
    paused = name === 'SIGSTOP';
  };

  beforeAll(async () => {
    port = String(await freePort());
    engine('start', port);
    ctx = await startTestApp({
      MONGODB_URI: `mongodb://127.0.0.1:${port}/store-timeout`,
      STORE_TIMEOUT_MS: String(STORE_TIMEOUT_MS),
    });
  }, 120_000);

  afterAll(async () => {
    if (paused) signal('SIGCONT');
    await ctx.app.close();
    engine('stop', port);
  });

  it('answers reads and writes 503 with Retry-After within the bound; a retried If-Match write applies once', async () => {
    const created = await ctx.as().post('/api/v1/patients').send(patientBody()).expect(201);
    const id = created.body.id as string;
    const change = patientBody({ identifier: created.body.identifier, gender: 'female' });

    signal('SIGSTOP');
    const started = Date.now();
    const [write, read] = await Promise.all([
      ctx.as().put(`/api/v1/patients/${id}`).set('if-match', '"1"').send(change),
      ctx.as().get(`/api/v1/patients/${id}`),
    ]);
    const waited = Date.now() - started;
    signal('SIGCONT');

    for (const res of [write, read]) {
      expect(res.status).toBe(503);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(res.body).toMatchObject({ status: 503 });
    }
    expect(write.body.detail).toMatch(/may still have been applied/);
    expect(waited).toBeLessThan(3 * STORE_TIMEOUT_MS + 5000);

    // The retry names the version it changes: applied once, whether or not the first attempt committed.
    const retry = await eventually(() =>
      ctx.as().put(`/api/v1/patients/${id}`).set('if-match', '"1"').send(change),
    );
    expect([200, 412]).toContain(retry.status);
    const stored = await ctx.as().get(`/api/v1/patients/${id}`).expect(200);
    expect(stored.body).toMatchObject({ gender: 'female', version: 2 });
  }, 90_000);

  /** The first answer that is not a 503: the driver finds the resumed store again within a few seconds. */
  async function eventually(call: () => request.Test, timeoutMs = 30_000): Promise<request.Response> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await call();
      if (res.status !== 503 || Date.now() > deadline) return res;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
});
