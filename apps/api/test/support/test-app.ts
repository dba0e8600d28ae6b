import { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig, Principal, Role } from '@hdp/platform';
import { TestDatabase } from '@hdp/testing';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/configure-app';
import { sharedTestIssuer, TEST_AUDIENCE, TestIssuer } from './test-issuer';

export interface TestApp {
  readonly app: NestExpressApplication;
  readonly http: Server;
  readonly database: TestDatabase;
  /** The local OIDC issuer the app trusts. */
  readonly issuer: TestIssuer;
  /** Requests made as this principal with a real signed token (defaults: a clinician with user-level access to everything). */
  as(principal?: Partial<Principal>): TestRequester;
  close(): Promise<void>;
}

/**
 * Boots the real application, configured as main.ts does, against a fresh database of its own, trusting a
 * real local OIDC issuer. Rate-limit counters get a prefix of their own and, unless `env` says otherwise, a
 * rate limit and an authentication-failure throttle no functional suite reaches.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { controllers?: Type[] } = {},
): Promise<TestApp> {
  const database = new TestDatabase();
  const issuer = await sharedTestIssuer();
  const environment = {
    LOG_LEVEL: 'silent',
    MONGODB_URI: database.uri,
    OIDC_ISSUER: issuer.url,
    OIDC_AUDIENCE: TEST_AUDIENCE,
    REDIS_URL: testRedisUrl(),
    SUBSCRIPTION_KEY_PEPPER: randomBytes(32).toString('hex'),
    RATE_LIMIT_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}`,
    RATE_LIMIT_CALLS: '100000',
    AUTH_FAILURE_LIMIT: '100000',
    ADMIN_ALLOWED_CIDRS: '127.0.0.0/8,::1/128',
    ...env,
  };
  const config = loadConfig(environment);
  const app = await NestFactory.create<NestExpressApplication>(
    withTestControllers(AppModule.forRoot(config, environment), options.controllers ?? []),
    { bodyParser: false, logger: false, abortOnError: false },
  );
  configureApp(app);
  await app.init();
  return {
    app,
    http: app.getHttpServer(),
    database,
    issuer,
    as: (principal) =>
      requester(app.getHttpServer(), issuer.tokenFor({ ...DEFAULT_PRINCIPAL, ...principal })),
    async close() {
      await database.drop();
      await app.close();
      await deleteCounters(config.REDIS_URL, config.RATE_LIMIT_KEY_PREFIX);
    },
  };
}

/** The suite's own Redis, started by `npm test` (scripts/test.sh). */
export function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: run the suites with `npm test`, which starts Redis');
  return url;
}

/** Removes this app's rate-limit counters (quota keys live 30 days) from Redis (a benchmark may run against a shared one). */
export async function deleteCounters(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  // A Redis that wants a password refuses the clean-up: nothing of this app's to remove there, no noise.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<
      string[]
    >) {
      if (keys.length > 0) await redis.del(...keys);
    }
  } catch {
    // Redis already gone (the Redis-down suites): nothing left to remove.
  } finally {
    redis.disconnect();
  }
}

/** Test-only controllers (probes) registered beside the app's own, behind the same global guard. */
function withTestControllers(root: DynamicModule, controllers: Type[]): DynamicModule {
  return { ...root, controllers: [...(root.controllers ?? []), ...controllers] };
}

export const DEFAULT_PRINCIPAL: Principal = {
  id: 'user-clinician-1',
  clientId: 'client-ward-app',
  roles: [Role.Clinician],
  scopes: ['user/*.cruds'],
};

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type TestRequester = Record<Method, (path: string) => request.Test>;

/** Requesters whose requests carry `Authorization: Bearer <token>` once the token is signed. */
function requester(http: Server, token: Promise<string>): TestRequester {
  const send = (method: Method) => (path: string) => withBearer(request(http)[method](path), token);
  return {
    get: send('get'),
    post: send('post'),
    put: send('put'),
    patch: send('patch'),
    delete: send('delete'),
  };
}

/** Signing is asynchronous and supertest's API is not: the header is set just before the request is sent. */
function withBearer(test: request.Test, token: Promise<string>): request.Test {
  const end = test.end.bind(test);
  test.end = (callback) => {
    token.then(
      (jwt) => end.call(test.set('authorization', `Bearer ${jwt}`), callback),
      (error: Error) => callback?.(error, undefined as never),
    );
    return test;
  };
  return test;
}
