// First: instrumentation patches express, mongoose and pino as they load.
import { telemetry } from './telemetry/start';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, loadConfig } from '@hdp/platform';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';
import { TelemetryModule } from './telemetry/telemetry.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig(process.env);
  const root = AppModule.forRoot(config);
  root.imports = [...(root.imports ?? []), TelemetryModule.forRoot(telemetry)];
  const app = await NestFactory.create<NestExpressApplication>(root, {
    bufferLogs: true,
    bodyParser: false,
  });
  configureApp(app);
  const server = await app.listen(config.PORT, config.HOST);
  server.requestTimeout = config.REQUEST_TIMEOUT_MS;
}

bootstrap().catch((error: unknown) => {
  // The logger may not exist yet: configuration errors are reported on stderr, plainly.
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exit(1);
});
