import { AppConfig } from '@hdp/platform';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';

/**
 * Structured JSON logs. Requests are logged by method, path (no query string: search parameters can
 * name a patient) and status; never headers or bodies.
 */
export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      genReqId: (req: IncomingMessage) => req.requestId ?? '',
      customProps: (req: IncomingMessage) => ({ traceId: req.traceId }),
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
