import { CallHandler, Injectable, NestInterceptor, ServiceUnavailableException } from '@nestjs/common';
import { AppConfig } from '@hdp/platform';
import { Observable, throwError, timeout } from 'rxjs';

/**
 * Cuts off a handler still running after REQUEST_TIMEOUT_MS with a 503, so a slow dependency cannot hold
 * connections open indefinitely. (The server's own requestTimeout bounds only the receiving of the request.)
 */
@Injectable()
export class RequestTimeoutInterceptor implements NestInterceptor {
  constructor(private readonly config: AppConfig) {}

  intercept(_execution: unknown, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      timeout({
        first: this.config.REQUEST_TIMEOUT_MS,
        with: () =>
          throwError(() => new ServiceUnavailableException('The request took too long; try again.')),
      }),
    );
  }
}
