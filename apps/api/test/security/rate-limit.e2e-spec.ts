import { Role } from '@hdp/platform';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AddressInfo, connect, createServer, Server } from 'node:net';
import request from 'supertest';
import { freePort } from '../support/app-process';
import { ProbeController } from '../support/probe.controller';
import { startTestApp, TestApp, testRedisUrl } from '../support/test-app';
import { TestMetrics } from '../support/test-metrics';

const statusesOf = (responses: request.Response[]) => responses.map((res) => res.status).sort();
const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

describe('Rate limits and quotas', () => {
  const prefix = `test:${randomBytes(6).toString('hex')}`;
  let ctx: TestApp;
  let replica: TestApp;

  beforeAll(async () => {
    const env = { RATE_LIMIT_CALLS: '5', RATE_LIMIT_PERIOD_S: '60', RATE_LIMIT_KEY_PREFIX: prefix };
    ctx = await startTestApp(env, { controllers: [ProbeController] });
    replica = await startTestApp(env, { controllers: [ProbeController] });
  });

  afterAll(async () => {
    await ctx.close();
    await replica.close();
  });

  it('lets exactly N of many parallel calls through, and answers the rest 429 with Retry-After', async () => {
    const client = { clientId: `burst-${randomBytes(4).toString('hex')}` };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => ctx.as(client).get('/probe/whoami')),
    );
    const statuses = statusesOf(responses);
    expect(count(statuses, 200)).toBe(5);
    expect(count(statuses, 429)).toBe(15);
    const refused = responses.find((res) => res.status === 429)!;
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
  });

  it('holds the limit across replicas sharing Redis', async () => {
    const client = { clientId: `shared-${randomBytes(4).toString('hex')}` };
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? ctx : replica).as(client).get('/probe/whoami')),
    );
    expect(count(statusesOf(responses), 200)).toBe(5);
  });

  it('counts each client on its own', async () => {
    const [a, b] = [`a-${randomBytes(4).toString('hex')}`, `b-${randomBytes(4).toString('hex')}`];
    for (let i = 0; i < 5; i += 1) await ctx.as({ clientId: a }).get('/probe/whoami').expect(200);
    await ctx.as({ clientId: a }).get('/probe/whoami').expect(429);
    await ctx.as({ clientId: b }).get('/probe/whoami').expect(200);
  });

  it('enforces a subscription quota, with Retry-After at the end of the quota period', async () => {
    const created = await ctx
      .as({ roles: [Role.Admin], clientId: `admin-${randomBytes(4).toString('hex')}` })
      .post('/api/v1/admin/subscriptions')
      .send({ name: 'Small lab', tier: 'standard', scopes: [], rateLimitCalls: 50, quotaCalls: 3 })
      .expect(201);
    const key = created.body.primaryKey as string;
    const call = () => request(ctx.http).get('/probe/whoami').set('ocp-apim-subscription-key', key);
    const statuses = statusesOf(await Promise.all(Array.from({ length: 6 }, call)));
    expect(count(statuses, 200)).toBe(3);
    const refused = await call().expect(429);
    expect(refused.body.detail).toMatch(/quota/i);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(29 * 24 * 3600);
  });
});

/**
 * A Redis of the suite's own on a port the OS had free (a random pick could land on the shared test Redis's),
 * so stopping it disturbs no one: it is stopped by the pid it wrote, never by a command to whatever answers
 * on the port. `serverArgs` go to redis-server.
 */
function privateRedis(...serverArgs: string[]) {
  let port = 0;
  let pidFile = '';
  const auth = serverArgs.includes('--requirepass')
    ? ['-a', serverArgs[serverArgs.indexOf('--requirepass') + 1]]
    : [];
  const cli = (...args: string[]) =>
    execFileSync('redis-cli', ['-p', String(port), ...auth, ...args], { stdio: 'pipe' });
  const pid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined);
  return {
    get port() {
      return port;
    },
    cli,
    async start() {
      port = await freePort();
      pidFile = path.join(tmpdir(), `hdp-test-redis-${port}-${process.pid}.pid`);
      const common = ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'];
      execFileSync('redis-server', [...common, '--daemonize', 'yes', '--pidfile', pidFile, ...serverArgs]);
      await waitFor(() => pid() !== undefined && cli('ping').toString().includes('PONG'));
    },
    stop() {
      const owned = pid();
      if (owned === undefined) return;
      try {
        process.kill(owned, 'SIGTERM');
      } catch {
        // already stopped by the test
      }
      rmSync(pidFile, { force: true });
    },
  };
}

describe('Rate limits while Redis is down', () => {
  const redis = privateRedis();
  const meters = new TestMetrics();
  let ctx: TestApp;

  beforeAll(async () => {
    await redis.start();
    ctx = await startTestApp(
      { REDIS_URL: `redis://127.0.0.1:${redis.port}`, RATE_LIMIT_CALLS: '3' },
      { controllers: [ProbeController] },
    );
  });

  afterAll(async () => {
    await ctx.close();
    redis.stop();
  });

  it('keeps serving with a per-process limit, and says so in a metric', async () => {
    const client = { clientId: 'while-down' };
    await ctx.as(client).get('/probe/whoami').expect(200);
    expect(await meters.value('security.rate_limit.shared_store_up')).toBe(1);

    redis.stop();
    await waitFor(async () => (await meters.value('security.rate_limit.shared_store_up')) === 0);

    const started = Date.now();
    const statuses = statusesOf(
      await Promise.all(Array.from({ length: 5 }, () => ctx.as(client).get('/probe/whoami'))),
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(count(statuses, 200)).toBe(3);
    expect(count(statuses, 429)).toBe(2);
    expect(await meters.value('security.rate_limit.local_fallbacks')).toBeGreaterThan(0);
    await request(ctx.http).get('/health/ready').expect(200);
  });
});

describe('Redis behind a password from the secrets provider', () => {
  const password = randomBytes(18).toString('base64url');
  const redis = privateRedis('--requirepass', password);
  let replicas: TestApp[];

  beforeAll(async () => {
    await redis.start();
    // REDIS_PASSWORD is the env source's name for the `redis-password` secret (Key Vault or a mounted file).
    const env = {
      REDIS_URL: `redis://127.0.0.1:${redis.port}`,
      REDIS_PASSWORD: password,
      RATE_LIMIT_CALLS: '4',
      RATE_LIMIT_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}`,
    };
    replicas = [await startTestApp(env, { controllers: [ProbeController] })];
    replicas.push(await startTestApp(env, { controllers: [ProbeController] }));
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    redis.stop();
  });

  it('authenticates, so the replicas share one count (without it each would allow the limit on its own)', async () => {
    const client = { clientId: `auth-${randomBytes(4).toString('hex')}` };
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => replicas[i % 2].as(client).get('/probe/whoami')),
    );
    expect(count(statusesOf(responses), 200)).toBe(4);
    expect(redis.cli('--scan').toString()).toContain(client.clientId);
  });
});

describe('Redis round trips', () => {
  let proxy: Server;
  let writes = 0;
  let ctx: TestApp;

  beforeAll(async () => {
    // A TCP relay in front of the suite's Redis counting the app's writes: on loopback each write of a
    // few hundred bytes arrives as one chunk.
    proxy = createServer((client) => {
      const upstream = connect(Number(new URL(testRedisUrl()).port), '127.0.0.1');
      client.on('data', () => (writes += 1));
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as AddressInfo).port;
    ctx = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${port}` }, { controllers: [ProbeController] });
  });

  afterAll(async () => {
    await ctx.close();
    proxy.close();
  });

  it('counts the rate limit and the quota in one round trip per request', async () => {
    const requester = ctx.as({ clientId: `trips-${randomBytes(4).toString('hex')}` });
    await requester.get('/probe/whoami').expect(200); // loads the Lua script once
    const before = writes;
    for (let i = 0; i < 10; i += 1) await requester.get('/probe/whoami').expect(200);
    expect(writes - before).toBe(10);
  });
});

async function waitFor(probe: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
