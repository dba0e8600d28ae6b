import { SpanKind, type Attributes } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * The only span and metric attributes that may leave the process. An allow-list, not a deny-list: a new
 * instrumentation's attributes stay inside until someone has checked they cannot carry patient data.
 * Left out on purpose: url.path, url.query, url.full (ids and search terms), user_agent.original, client
 * and peer addresses, and on server spans server.address (the caller's Host header).
 */
const SAFE_ATTRIBUTES = new Set([
  'http.request.method',
  'http.request.method_original',
  'http.response.status_code',
  'http.route',
  'url.scheme',
  'network.protocol.name',
  'network.protocol.version',
  'network.transport',
  'server.port',
  'error.type',
  'db.system.name',
  'db.namespace',
  'db.collection.name',
  'db.operation.name',
  'db.query.text', // shaped by statementShape: field names and operators, no values
  'db.response.status_code',
  'db.client.connection.pool.name',
  'db.client.connection.state',
  'messaging.system',
  'messaging.operation.type',
  'messaging.destination.name',
  'messaging.consumer.group.name',
  'messaging.batch.message_count',
]);
const SAFE_PREFIXES = ['express.', 'nestjs.'];
const CLIENT_ONLY_ATTRIBUTES = new Set(['server.address']);

/** The attribute keys metric views keep (metrics get no client-side server.address either). */
export const SAFE_METRIC_ATTRIBUTES = [...SAFE_ATTRIBUTES];

function isSafe(key: string, kind: SpanKind): boolean {
  if (SAFE_ATTRIBUTES.has(key) || SAFE_PREFIXES.some((prefix) => key.startsWith(prefix))) return true;
  return kind !== SpanKind.SERVER && CLIENT_ONLY_ATTRIBUTES.has(key);
}

function keepSafe(attributes: Attributes, kind: SpanKind): void {
  for (const key of Object.keys(attributes)) {
    if (!isSafe(key, kind)) delete attributes[key];
  }
}

/** Stack frames of a recorded exception, without its first line, which repeats the message. */
function framesOnly(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  return stack
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .join('\n');
}

/**
 * Registered before every exporting processor: strips each ended span down to the allow-list, drops
 * status and exception messages (a duplicate-key error quotes the value) and keeps exception types and
 * stack frames. Processors see the same span object in turn, so exporters only ever see the redacted one.
 */
export class PhiRedactingSpanProcessor implements SpanProcessor {
  onStart(_span: Span): void {}

  onEnd(span: ReadableSpan): void {
    keepSafe(span.attributes, span.kind);
    const status = span.status as { message?: string };
    delete status.message;
    for (const event of span.events) {
      const attributes = event.attributes ?? {};
      const frames = framesOnly(attributes['exception.stacktrace']);
      for (const key of Object.keys(attributes)) {
        if (key !== 'exception.type') delete attributes[key];
      }
      if (frames) attributes['exception.stacktrace'] = frames;
    }
    for (const link of span.links) keepSafe(link.attributes ?? {}, span.kind);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The shape of a database command or query with every value replaced by "?": field names and operators
 * tell what ran; values (names, NHS numbers, dates of birth) never leave the process.
 */
export function statementShape(value: unknown): string {
  return JSON.stringify(shape(value, 0));
}

function shape(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return '?';
  if (depth >= 6) return '…';
  if (Array.isArray(value)) return value.length === 0 ? [] : [shape(value[0], depth + 1)];
  if (isBinaryOrId(value)) return '?';
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shape(inner, depth + 1)]));
}

/** ObjectIds, dates, buffers and the like are values, not documents. */
function isBinaryOrId(value: object): boolean {
  return value instanceof Date || Buffer.isBuffer(value) || '_bsontype' in value;
}
