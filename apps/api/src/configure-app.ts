import { ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppConfig, assignRequestIds, listOf, PUBLIC_BASE_URL_SETTING, publicBaseUrl } from '@hdp/platform';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { bodyParserErrors } from './http/body-parser-errors';
import { refuseDeepJson } from './http/json-depth';
import { RequestTimeoutInterceptor } from './http/request-timeout.interceptor';
import { setUpOpenApi } from './openapi/openapi';

/** Everything about the HTTP face that is not a route: shared by main.ts and the e2e suites. */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set(PUBLIC_BASE_URL_SETTING, publicBaseUrl(config));
  // X-Forwarded-For is believed only from the configured proxies; req.ip is then the real client.
  app.set('trust proxy', listOf(config.TRUSTED_PROXIES).length > 0 ? listOf(config.TRUSTED_PROXIES) : false);
  const corsOrigins = listOf(config.CORS_ORIGINS);
  if (corsOrigins.length > 0) app.enableCors({ origin: corsOrigins, credentials: false, maxAge: 600 });
  app.use(assignRequestIds);
  app.use(helmet());
  app.useBodyParser('json', {
    limit: config.BODY_LIMIT,
    type: ['application/json', 'application/*+json'],
    verify: refuseDeepJson,
  });
  app.use(bodyParserErrors);
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validationError: { target: false, value: false },
    }),
  );
  app.useGlobalInterceptors(new RequestTimeoutInterceptor(config));
  app.enableShutdownHooks();
  setUpOpenApi(app);
  return app;
}
