import { fhirBodyParserError, isFhirRequest } from '@hdp/fhir';
import { traceIdFrom } from '@hdp/platform';
import type { NextFunction, Request, Response } from 'express';
import { MAX_JSON_DEPTH } from './json-depth';
import { problem, PROBLEM_CONTENT_TYPE } from './problem';

const STATUS_BY_TYPE: Record<string, [number, string]> = {
  'entity.parse.failed': [400, 'The request body is not valid JSON.'],
  'entity.too.large': [413, 'The request body is larger than this endpoint accepts.'],
  'entity.verify.failed': [400, 'The request body could not be verified.'],
  'entity.too.deep': [400, `The request body is nested deeper than ${MAX_JSON_DEPTH} levels.`],
  'encoding.unsupported': [415, 'The request body uses an unsupported content encoding.'],
  'charset.unsupported': [415, 'The request body uses an unsupported charset.'],
  'request.aborted': [400, 'The request was aborted by the client.'],
  'request.size.invalid': [400, 'The request body size does not match Content-Length.'],
};

/** What a body that could not be decoded (e.g. `Content-Encoding: gzip` over bytes that are not gzip) gets. */
const UNDECODABLE: [number, string] = [400, 'The request body could not be decoded.'];

/**
 * Express error handler for failures of the body parser, which run before Nest's filters can.
 * The parser's own messages quote the body, which may hold patient data, so they are replaced.
 */
export function bodyParserErrors(error: unknown, req: Request, res: Response, next: NextFunction): void {
  const { type, status: parserStatus } = (error ?? {}) as { type?: unknown; status?: unknown };
  const known =
    typeof type === 'string' ? STATUS_BY_TYPE[type] : isClientError(parserStatus) ? UNDECODABLE : undefined;
  if (!known) return next(error);
  const [status, detail] = known;
  if (isFhirRequest(req)) return fhirBodyParserError(status, detail, res);
  res
    .status(status)
    .type(PROBLEM_CONTENT_TYPE)
    .json({ ...problem(status, detail), traceId: req.traceId ?? traceIdFrom(undefined) });
}

function isClientError(status: unknown): boolean {
  return typeof status === 'number' && status >= 400 && status < 500;
}
