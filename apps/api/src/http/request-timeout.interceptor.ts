import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { Request } from 'express';
import { AppConfig } from '@hdp/platform';
import { Observable, throwError, timeout } from 'rxjs';

/** Requests that change nothing, whose work can be dropped when the client is told to try again. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cuts off a read still running after REQUEST_TIMEOUT_MS with a 503, so a slow dependency cannot hold
 * connections open indefinitely. (The server's own requestTimeout bounds only the receiving of the request.)
 * Writes are never cut off: their work goes on after a cut-off, so a 503 "try again" would invite a retry
 * of a change that still commits (a transaction Bundle or a create written twice). They are bounded by the
 * store's own timeouts instead.
 */
@Injectable()
export class RequestTimeoutInterceptor implements NestInterceptor {
  constructor(private readonly config: AppConfig) {}

  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    const { method } = execution.switchToHttp().getRequest<Request>();
    if (!SAFE_METHODS.has(method)) return next.handle();
    return next.handle().pipe(
      timeout({
        first: this.config.REQUEST_TIMEOUT_MS,
        with: () =>
          throwError(() => new ServiceUnavailableException('The request took too long; try again.')),
      }),
    );
  }
}
