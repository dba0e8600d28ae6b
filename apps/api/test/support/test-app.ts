import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig, Principal, RequestContextService, Role } from '@hdp/platform';
import { TestDatabase } from '@hdp/testing';
import type { Server } from 'node:http';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/configure-app';
import { TEST_PRINCIPAL_HEADER, TestPrincipalGuard } from './test-principal.guard';

export interface TestApp {
  readonly app: NestExpressApplication;
  readonly http: Server;
  readonly database: TestDatabase;
  /** Requests made as this principal (defaults: a clinician with user-level access to everything). */
  as(principal?: Partial<Principal>): TestRequester;
  close(): Promise<void>;
}

/** Boots the real application, configured as main.ts does, against a fresh database of its own. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = new TestDatabase();
  const config = loadConfig({ LOG_LEVEL: 'silent', MONGODB_URI: database.uri, ...env });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger: false,
  });
  configureApp(app);
  app.useGlobalGuards(new TestPrincipalGuard(app.get(RequestContextService)));
  await app.init();
  return {
    app,
    http: app.getHttpServer(),
    database,
    as: (principal) => requester(app.getHttpServer(), { ...DEFAULT_PRINCIPAL, ...principal }),
    async close() {
      await database.drop();
      await app.close();
    },
  };
}

export const DEFAULT_PRINCIPAL: Principal = {
  id: 'user-clinician-1',
  clientId: 'client-ward-app',
  roles: [Role.Clinician],
  scopes: ['user/*.cruds'],
};

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type TestRequester = Record<Method, (path: string) => request.Test>;

function requester(http: Server, principal: Principal): TestRequester {
  const send = (method: Method) => (path: string) =>
    request(http)[method](path).set(TEST_PRINCIPAL_HEADER, JSON.stringify(principal));
  return {
    get: send('get'),
    post: send('post'),
    put: send('put'),
    patch: send('patch'),
    delete: send('delete'),
  };
}
