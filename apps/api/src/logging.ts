import { AppConfig } from '@hdp/platform';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';

/** Express puts the matched route on the request; its template (`/patients/:id`) is safe to log, the URL is not. */
function routeTemplate(req: IncomingMessage): string {
  const { baseUrl, route } = req as IncomingMessage & { baseUrl?: string; route?: { path?: unknown } };
  return typeof route?.path === 'string' ? `${baseUrl ?? ''}${route.path}` : '(no route)';
}

/**
 * Structured JSON logs. Requests are logged by method, route template (never the URL: a path or search
 * parameter can name a patient) and status; never headers or bodies. With OpenTelemetry on, the pino
 * instrumentation adds trace_id and span_id to every line.
 */
export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      genReqId: (req: IncomingMessage) => req.requestId ?? '',
      customProps: (req: IncomingMessage) => ({ traceId: req.traceId }),
      customSuccessObject: (req, _res, value: object) => ({ ...value, route: routeTemplate(req) }),
      customErrorObject: (req, _res, _error, value: object) => ({ ...value, route: routeTemplate(req) }),
      serializers: {
        req: (req: { id: string; method: string }) => ({ id: req.id, method: req.method }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
