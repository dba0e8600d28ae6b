import { isSpanContextValid, trace } from '@opentelemetry/api';
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

declare module 'node:http' {
  interface IncomingMessage {
    /** Set by assignRequestIds before anything else runs. */
    requestId?: string;
    /** W3C trace id (32 hex chars): the audit entries' correlation id and the reference in error bodies. */
    traceId?: string;
  }
}

const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;
const INVALID_TRACE_ID = '0'.repeat(32);
const SAFE_REQUEST_ID = /^[\w.-]{1,64}$/;

/** The trace id of an incoming W3C `traceparent` header, or a new random one when absent or malformed. */
export function traceIdFrom(traceparent: string | string[] | undefined): string {
  const match = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent.trim().toLowerCase()) : null;
  if (match && match[1] !== INVALID_TRACE_ID) return match[1];
  return randomBytes(16).toString('hex');
}

/**
 * First middleware of the app: gives the request its request id (a caller's safe `x-request-id` is kept)
 * and its trace id, so logs, errors and the audit ledger all quote the same ones. With OpenTelemetry on,
 * that is the trace id of the request's server span (which continues an incoming `traceparent`).
 */
export function assignRequestIds(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const incoming = req.headers['x-request-id'];
  req.requestId = typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  const span = trace.getActiveSpan()?.spanContext();
  req.traceId = span && isSpanContextValid(span) ? span.traceId : traceIdFrom(req.headers.traceparent);
  res.setHeader('x-request-id', req.requestId);
  next();
}
