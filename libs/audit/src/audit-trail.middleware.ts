import { Injectable, Logger, NestMiddleware } from '@nestjs/common';
import { RequestContextService, safeErrorSummary } from '@hdp/platform';
import type { NextFunction, Request, Response } from 'express';
import { matchAuditedRoute } from './audited-resource.decorator';
import { AuditLedgerService } from './audit-ledger.service';

/**
 * The ledger's safety net for @AuditedResource routes: a request that ends with an error status and left
 * no entry (denied by a guard, throttled, rejected by validation before the service ran) gets one.
 * Must run inside the request context (after RequestContextMiddleware).
 */
@Injectable()
export class AuditTrailMiddleware implements NestMiddleware {
  private readonly logger = new Logger(AuditTrailMiddleware.name);

  constructor(
    private readonly contexts: RequestContextService,
    private readonly ledger: AuditLedgerService,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const context = this.contexts.current();
    const path = req.originalUrl.split('?')[0];
    res.once('finish', () => {
      if (res.statusCode < 400 || (context && this.ledger.hasAudited(context))) return;
      const route = matchAuditedRoute(req.method, path);
      if (!route) return;
      this.ledger.record({ ...route, outcome: res.statusCode }, context).catch((error: unknown) => {
        this.logger.error(
          { error: safeErrorSummary(error), traceId: context?.traceId },
          'Audit append failed',
        );
      });
    });
    next();
  }
}
