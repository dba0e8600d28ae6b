import { fhirBodyParserError, isFhirRequest } from '@hdp/fhir';
import { traceIdFrom } from '@hdp/platform';
import type { NextFunction, Request, Response } from 'express';
import { problem, PROBLEM_CONTENT_TYPE } from './problem';

const STATUS_BY_TYPE: Record<string, [number, string]> = {
  'entity.parse.failed': [400, 'The request body is not valid JSON.'],
  'entity.too.large': [413, 'The request body is larger than this endpoint accepts.'],
  'entity.verify.failed': [400, 'The request body could not be verified.'],
  'encoding.unsupported': [415, 'The request body uses an unsupported content encoding.'],
  'charset.unsupported': [415, 'The request body uses an unsupported charset.'],
  'request.aborted': [400, 'The request was aborted by the client.'],
  'request.size.invalid': [400, 'The request body size does not match Content-Length.'],
};

/**
 * Express error handler for failures of the body parser, which run before Nest's filters can.
 * The parser's own messages quote the body, which may hold patient data, so they are replaced.
 */
export function bodyParserErrors(error: unknown, req: Request, res: Response, next: NextFunction): void {
  const type = (error as { type?: unknown } | null)?.type;
  const known = typeof type === 'string' ? STATUS_BY_TYPE[type] : undefined;
  if (!known) return next(error);
  const [status, detail] = known;
  if (isFhirRequest(req)) return fhirBodyParserError(status, detail, res);
  res
    .status(status)
    .type(PROBLEM_CONTENT_TYPE)
    .json({ ...problem(status, detail), traceId: req.traceId ?? traceIdFrom(undefined) });
}
