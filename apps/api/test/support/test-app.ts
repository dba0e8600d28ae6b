import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@hdp/platform';
import { TestDatabase } from '@hdp/testing';
import type { Server } from 'node:http';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/configure-app';

export interface TestApp {
  readonly app: NestExpressApplication;
  readonly http: Server;
  readonly database: TestDatabase;
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
  await app.init();
  return {
    app,
    http: app.getHttpServer(),
    database,
    async close() {
      await database.drop();
      await app.close();
    },
  };
}
