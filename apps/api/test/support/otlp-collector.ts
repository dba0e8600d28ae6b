import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span as OTLP/JSON carries it (ids are hex strings in the JSON encoding). */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: Record<string, unknown> }[];
}

/**
 * A stand-in OpenTelemetry collector: an OTLP/HTTP JSON receiver that keeps, in memory, every request
 * body the app exports (raw, so a test can search all of it) and the spans parsed out of them.
 */
export class OtlpCollector {
  readonly bodies: Record<'traces' | 'metrics' | 'logs', string[]> = { traces: [], metrics: [], logs: [] };
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const signal = /^\/v1\/(traces|metrics|logs)$/.exec(
        req.url ?? '',
      )?.[1] as keyof OtlpCollector['bodies'];
      if (signal) this.bodies[signal].push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(signal ? 200 : 404, { 'content-type': 'application/json' }).end('{}');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  spans(): OtlpSpan[] {
    return this.bodies.traces.flatMap((body) =>
      (
        JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }
      ).resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)),
    );
  }

  /** Everything received, as one string to search. */
  everything(): string {
    return Object.values(this.bodies).flat().join('\n');
  }
}

export function attribute(span: OtlpSpan, key: string): unknown {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return value ? Object.values(value)[0] : undefined;
}
