import { ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Principal } from '@hdp/platform';
import { TEST_AUDIENCE, TestIssuer } from '../apps/api/test/support/test-issuer';

/** A benchmark's caller: a local OIDC issuer the API trusts and a bearer token it signed. */
export interface BenchCaller {
  readonly issuerUrl: string;
  readonly authorization: string;
}

export async function benchCaller(principal: Principal): Promise<BenchCaller> {
  const issuer = await TestIssuer.start();
  const token = await issuer.tokenFor(principal, { expiresIn: '2h' });
  return { issuerUrl: issuer.url, authorization: `Bearer ${token}` };
}

/**
 * The API in a process of its own on `port`, trusting the caller's issuer, with the rate limit out of the
 * way; resolves once it answers. From source through ts-node (bench/serve.ts), or `compiled`: the built
 * dist/apps/api/src/main.js exactly as the image runs it (`npm run build` first), for memory figures that
 * do not include the TypeScript compiler.
 */
export async function startApi(
  port: number,
  caller: BenchCaller,
  env: Record<string, string>,
  { compiled = false } = {},
): Promise<ChildProcess> {
  const [script, execArgv] = compiled
    ? ['dist/apps/api/src/main.js', []]
    : ['bench/serve.ts', ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register']];
  const child = fork(script, [], {
    execArgv,
    env: {
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      ...process.env,
      PORT: String(port),
      OIDC_ISSUER: caller.issuerUrl,
      OIDC_AUDIENCE: TEST_AUDIENCE,
      SUBSCRIPTION_KEY_PEPPER: randomBytes(32).toString('hex'),
      // The benchmark measures throughput, not the limiter's refusals.
      RATE_LIMIT_CALLS: '1000000000',
      DEFAULT_QUOTA_TIER: 'premium',
      ...env,
    },
  });
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  for (;;) {
    if (exited !== undefined) throw new Error(`API exited with ${exited}`);
    const live = await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => undefined);
    if (live?.ok) return child;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime, fields 14 and 15 of stat(5), in clock ticks of 1/100 s.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
