import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';
import { etagOf } from '../etag';

/** HTTP shape of a versioned resource: `ETag` on every representation, `Location` on create. */
@Injectable()
export class ResourceHeadersInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body: unknown) => {
        const resource = body as { id?: unknown; version?: unknown } | undefined;
        if (typeof resource?.version === 'number') res.setHeader('ETag', etagOf(resource.version));
        if (req.method === 'POST' && typeof resource?.id === 'string') {
          res.setHeader('Location', `${req.originalUrl.split('?')[0]}/${resource.id}`);
        }
        return body;
      }),
    );
  }
}
