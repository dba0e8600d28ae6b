/**
 * npm run bench:auth — requests/s of an authenticated read through the whole security pipeline (JWT,
 * scope check, Redis rate limit and quota, PHI masking) versus the same handler opened with @Public().
 * Everything runs on 127.0.0.1: the app in this process, autocannon in a child process, FerretDB and Redis
 * locally. Goal: the pipeline costs at most 15% of throughput at 64 connections.
 */
import { Controller, Get } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig, Public, RequireScope, Role } from '@hdp/platform';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { AppModule } from '../apps/api/src/app.module';
import { configureApp } from '../apps/api/src/configure-app';
import { probePatient } from '../apps/api/test/support/probe.controller';
import { deleteCounters } from '../apps/api/test/support/test-app';
import { TEST_AUDIENCE, TestIssuer } from '../apps/api/test/support/test-issuer';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

@Controller('bench')
class BenchController {
  @RequireScope('Patient', 'read')
  @Get('secured')
  secured() {
    return probePatient('bench-1');
  }

  @Public()
  @Get('open')
  open() {
    return probePatient('bench-1');
  }
}

interface Result {
  rps: number;
  /** CPU time this process (the app) spent per request: steadier than req/s on a shared machine. */
  cpuUsPerRequest: number;
  p50: number;
  p99: number;
  non2xx: number;
}

/** Runs autocannon in a child process, asynchronously: this process's event loop serves the app meanwhile. */
async function load(url: string, headers: string[]): Promise<Result> {
  const args = [
    '-c',
    String(CONNECTIONS),
    '-d',
    String(DURATION_S),
    '-j',
    ...headers.flatMap((h) => ['-H', h]),
    url,
  ];
  const cpuBefore = process.cpuUsage();
  const { stdout } = await promisify(execFile)('node_modules/.bin/autocannon', args, { maxBuffer: 1 << 24 });
  const out = JSON.parse(stdout) as {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    non2xx: number;
  };
  const cpu = process.cpuUsage(cpuBefore);
  return {
    rps: out.requests.average,
    cpuUsPerRequest: (cpu.user + cpu.system) / Math.max(1, out.requests.total),
    p50: out.latency.p50,
    p99: out.latency.p99,
    non2xx: out.non2xx,
  };
}

async function main(): Promise<void> {
  const port = process.env.BENCH_FERRETDB_PORT ?? '27617';
  const ownEngine = !process.env.MONGODB_URI;
  if (ownEngine) execFileSync('bash', ['scripts/ferretdb.sh', 'start', port], { stdio: 'inherit' });
  const issuer = await TestIssuer.start();
  const prefix = `bench:${randomBytes(6).toString('hex')}`;
  const env = {
    LOG_LEVEL: 'silent',
    MONGODB_URI: process.env.MONGODB_URI ?? `mongodb://127.0.0.1:${port}/bench`,
    OIDC_ISSUER: issuer.url,
    OIDC_AUDIENCE: TEST_AUDIENCE,
    SUBSCRIPTION_KEY_PEPPER: randomBytes(32).toString('hex'),
    RATE_LIMIT_KEY_PREFIX: prefix,
    RATE_LIMIT_CALLS: '1000000000',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
  const root = AppModule.forRoot(loadConfig(env), env);
  const app = await NestFactory.create<NestExpressApplication>(
    { ...root, controllers: [...(root.controllers ?? []), BenchController] },
    { bodyParser: false, logger: false },
  );
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/bench`;
  const token = await issuer.tokenFor({
    id: 'bench-user',
    clientId: 'bench-client',
    roles: [Role.PartnerSystem],
    scopes: ['system/Patient.rs'],
  });
  try {
    // Warm-up of both routes (JIT, connection pools, the Lua script), not reported.
    await load(`${base}/open`, []);
    await load(`${base}/secured`, [`authorization=Bearer ${token}`]);
    const open: Result[] = [];
    const secured: Result[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      open.push(await load(`${base}/open`, []));
      secured.push(await load(`${base}/secured`, [`authorization=Bearer ${token}`]));
    }
    report(open, secured);
  } finally {
    await app.close();
    await issuer.close();
    await deleteCounters(env.REDIS_URL, prefix);
    if (ownEngine) execFileSync('bash', ['scripts/ferretdb.sh', 'stop', port], { stdio: 'inherit' });
  }
}

function medianCpu(results: Result[]): number {
  return [...results].map((r) => r.cpuUsPerRequest).sort((a, b) => a - b)[Math.floor(results.length / 2)];
}

/** The median round of each side: alternating rounds and the median damp the noise of a shared machine. */
function report(open: Result[], secured: Result[]): void {
  const median = (results: Result[]) =>
    [...results].sort((a, b) => a.rps - b.rps)[Math.floor(results.length / 2)];
  const [o, s] = [median(open), median(secured)];
  const cost = (1 - s.rps / o.rps) * 100;
  const line = (name: string, r: Result) =>
    `${name}  ${r.rps.toFixed(0)} req/s  ${r.cpuUsPerRequest.toFixed(0)} µs CPU/request  p50 ${r.p50} ms  p99 ${r.p99} ms  non-2xx ${r.non2xx}`;
  const all = (results: Result[]) => results.map((r) => r.rps.toFixed(0)).join(', ');
  console.log(
    `${CONNECTIONS} connections, ${DURATION_S} s x ${ROUNDS} alternating rounds per side (median shown)`,
  );
  console.log(line('pipeline off', o));
  console.log(line('pipeline on ', s));
  console.log(
    `pipeline cost ${cost.toFixed(1)}% of throughput (goal <= 15%): ${cost <= 15 ? 'met' : 'NOT met'}`,
  );
  const cpuCost = (medianCpu(secured) / medianCpu(open) - 1) * 100;
  console.log(
    `pipeline CPU per request ${cpuCost >= 0 ? '+' : ''}${cpuCost.toFixed(1)}% (the steadier figure when the machine is shared)`,
  );
  console.log(`every round, req/s: off ${all(open)}; on ${all(secured)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
