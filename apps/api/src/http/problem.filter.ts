import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import {
  asDomainError,
  DomainError,
  RequestContextService,
  RETRY_AFTER_SECONDS,
  safeErrorSummary,
  traceIdFrom,
} from '@hdp/platform';
import type { Request, Response } from 'express';
import { Problem, problem, PROBLEM_CONTENT_TYPE, STATUS_BY_KIND } from './problem';

/**
 * Turns every error into a problem+json body. Only DomainErrors and HttpExceptions speak to the
 * caller; anything else is a 500 whose details stay in the log, keyed by the trace id.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  constructor(private readonly contexts: RequestContextService) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const traceId = this.contexts.current()?.traceId ?? req.traceId ?? traceIdFrom(undefined);
    const body = { ...this.toProblem(error, traceId), traceId };
    if (res.headersSent) return;
    if (body.status === 503) res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
    res.status(body.status).type(PROBLEM_CONTENT_TYPE).json(body);
  }

  private toProblem(failure: unknown, traceId: string): Problem {
    const error = asDomainError(failure);
    if (error instanceof DomainError) return problem(STATUS_BY_KIND[error.kind], error.message, error.issues);
    if (error instanceof HttpException) return fromHttpException(error);
    this.logger.error({ error: safeErrorSummary(error), traceId }, 'Unhandled error');
    return problem(500, 'An unexpected error occurred. Quote the traceId when reporting it.');
  }
}

function fromHttpException(error: HttpException): Problem {
  const status = error.getStatus();
  if (status === 404 && /^Cannot [A-Z]+ /.test(error.message))
    return problem(404, 'No route matches this request.');
  const response = error.getResponse();
  const message =
    typeof response === 'object' && response !== null
      ? (response as { message?: unknown }).message
      : response;
  if (Array.isArray(message)) {
    return problem(status, 'The request is invalid.', message.map(String).map(toFieldIssue));
  }
  return problem(status, typeof message === 'string' ? message : undefined);
}

/** class-validator messages read "path.to.field must be ..."; the path is the first word. */
function toFieldIssue(message: string): { path: string; message: string } {
  const space = message.indexOf(' ');
  return { path: space > 0 ? message.slice(0, space) : '', message };
}
