import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { traceIdFrom } from './request-ids';
import { RequestContextService } from './request-context.service';

/** Opens the request context for everything that runs while the request is handled. */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  constructor(private readonly contexts: RequestContextService) {}

  use(req: Request, _res: Response, next: NextFunction): void {
    this.contexts.run(
      {
        requestId: req.requestId ?? '',
        traceId: req.traceId ?? traceIdFrom(undefined),
        clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown',
        userAgent: req.header('user-agent'),
      },
      next,
    );
  }
}
