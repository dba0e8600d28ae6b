import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@hdp/platform';
import { AppModule } from '../apps/api/src/app.module';
import { configureApp } from '../apps/api/src/configure-app';

/** The API as main.ts runs it (without telemetry), from source. Started by bench/api-process.ts. */
async function serve(): Promise<void> {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...process.env });
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger: false,
  });
  configureApp(app);
  await app.listen(config.PORT, config.HOST);
}

void serve();
