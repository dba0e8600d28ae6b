import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { auditOutcomeOf } from '@hdp/audit';
import { asDomainError, DomainError, FieldIssue, RETRY_AFTER_SECONDS, safeErrorSummary } from '@hdp/platform';
import type { Request, Response } from 'express';
import { FHIR_JSON, operationOutcome } from './operation-outcome';

/**
 * Every error of a FHIR route as an OperationOutcome. Only DomainErrors and HttpExceptions speak to the
 * caller; anything else is a 500 whose details stay in the log.
 */
@Catch()
export class FhirExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(FhirExceptionFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const [status, message, issues] = this.describe(asDomainError(error), req);
    if (status === 503) res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
    res
      .status(status)
      .type(FHIR_JSON)
      .json(operationOutcome(status, message, issues));
  }

  private describe(error: unknown, req: Request): [number, string, readonly FieldIssue[]] {
    // The status the ledger recorded for the failure, so the caller and the ledger agree.
    if (error instanceof DomainError) return [auditOutcomeOf(error), error.message, error.issues];
    if (error instanceof HttpException) return [error.getStatus(), messageOf(error), []];
    this.logger.error({ error: safeErrorSummary(error), traceId: req.traceId }, 'Unhandled error');
    return [500, 'An unexpected error occurred.', []];
  }
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  const message =
    typeof response === 'object' && response !== null
      ? (response as { message?: unknown }).message
      : response;
  return typeof message === 'string' ? message : error.message;
}

/**
 * Express error handler for body-parser failures on FHIR routes (they run before any Nest filter):
 * an OperationOutcome instead of the parser's own message, which may quote the body.
 */
export function fhirBodyParserError(status: number, detail: string, res: Response): void {
  res.status(status).type(FHIR_JSON).json(operationOutcome(status, detail));
}

/** Whether a request is for the FHIR face. */
export function isFhirRequest(req: Request): boolean {
  return req.path === '/fhir' || req.path.startsWith('/fhir/');
}
