import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import type { BenchCaller } from './api-process';

/** Throughput and latency (ms) of one load. */
export interface Figures {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface BenchRequest {
  method: string;
  path: string;
  body?: object;
  contentType?: string;
}

/** A valid NHS number (modulus-11 check digit), random. */
export function nhsNumber(): string {
  for (;;) {
    const digits = [...randomBytes(9)].map((byte) => byte % 10);
    const check = 11 - (digits.reduce((sum, digit, index) => sum + digit * (10 - index), 0) % 11);
    if (check !== 10) return [...digits, check === 11 ? 0 : check].join('');
  }
}

/** autocannon with `connections` for `seconds`, each request built by `next` and sent as `caller`. */
export async function load(
  port: number,
  caller: BenchCaller,
  connections: number,
  seconds: number,
  next: () => BenchRequest,
): Promise<Figures> {
  const run = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (req) => {
          const request = next();
          // Headers built afresh: a GET must not inherit the previous POST's content-length.
          const headers: Record<string, string> = { authorization: caller.authorization };
          if (request.body) headers['content-type'] = request.contentType ?? 'application/json';
          const body = request.body ? JSON.stringify(request.body) : undefined;
          return { ...req, method: request.method as 'GET', path: request.path, headers, body };
        },
      },
    ],
  });
  if (run.non2xx > 0) console.warn(`  ${run.non2xx} non-2xx responses`);
  return {
    rps: run.requests.average,
    p50: run.latency.p50,
    p95: run.latency.p97_5 ?? 0,
    p99: run.latency.p99,
  };
}
