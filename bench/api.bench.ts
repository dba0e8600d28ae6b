/**
 * npm run bench:api — API throughput and latency against the raw MongoDB driver doing the same persisted
 * work. Needs the engine: `bash scripts/ferretdb.sh start 27418` (BENCH_MONGODB_URL overrides).
 * The mixed workload runs twice: searching a family every patient shares (the worst case: the search has
 * as many matches as there are patients) and one of 1,000 families (~0.1% of patients each, about the
 * share of a common surname).
 * Figures on a shared 2-core machine are noisy: compare ratios from the same run, not absolute numbers.
 */
import 'reflect-metadata';
import { Principal, Role } from '@hdp/platform';
import { BenchCaller, benchCaller, startApi } from './api-process';
import { BenchRequest, Figures, load as loadAs, nhsNumber } from './http-load';
import { randomBytes, randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';

const ENGINE = process.env.BENCH_MONGODB_URL ?? 'mongodb://127.0.0.1:27418';
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = [1, 16, 64];
const PRINCIPAL: Principal = {
  id: 'bench-user',
  clientId: 'bench',
  roles: [Role.Clinician],
  scopes: ['user/*.cruds'],
};
/** Set once the local issuer has signed the benchmark's token. */
let caller: BenchCaller;
// FerretDB 1.24 stalls when its PostgreSQL pool (50) runs dry, so both clients keep below it, equally.
const POOL = Number(process.env.BENCH_POOL ?? 12);
const KEYS = `bench:${randomBytes(32).toString('base64')}`;

const SHARED_FAMILY = 'Benchmark';
const FAMILIES = 1000;
const someFamily = () => `Family${Math.floor(Math.random() * FAMILIES)}`;

const patient = (family = SHARED_FAMILY) => ({
  identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhsNumber() }],
  name: { family, given: ['Load'] },
  birthDate: '1970-01-01',
  gender: 'unknown',
});

const result = () => ({
  code: { system: 'http://loinc.org', code: '2339-0' },
  valueQuantity: { value: 5.4, unit: 'mmol/L', system: 'http://unitsofmeasure.org' },
  status: 'final',
  effectiveDateTime: new Date().toISOString(),
});

function startBenchApi(port: number, database: string, env: Record<string, string> = {}) {
  return startApi(port, caller, {
    MONGODB_URI: `${ENGINE}/${database}?maxPoolSize=${POOL}`,
    AUDIT_SIGNING_KEY: KEYS,
    ...env,
  });
}

const load = (port: number, connections: number, next: () => BenchRequest) =>
  loadAs(port, caller, connections, DURATION_S, next);

/** A bounded loop of `connections` workers doing `work` for the duration; latency in ms. */
async function rawLoop(connections: number, work: () => Promise<unknown>): Promise<Figures> {
  const latencies: number[] = [];
  const end = Date.now() + DURATION_S * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        const start = performance.now();
        await work();
        latencies.push(performance.now() - start);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.floor(q * (latencies.length - 1))] * 10) / 10;
  return { rps: latencies.length / DURATION_S, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

function auditEntry(patientId: string, action: string) {
  return {
    _id: randomUUID(),
    chain: -1,
    seq: Math.floor(Math.random() * 2 ** 47),
    at: new Date(),
    actor: { id: 'bench-user', clientId: 'bench', roles: ['clinician'] },
    action,
    resourceType: 'Patient',
    resourceId: patientId,
    patientId,
    outcome: 200,
    clientAddress: '127.0.0.1',
    correlationId: randomBytes(16).toString('hex'),
  };
}

async function main(): Promise<void> {
  caller = await benchCaller(PRINCIPAL);
  const database = `bench_${randomBytes(4).toString('hex')}`;
  const api = await startBenchApi(3901, database);
  // The raw driver writes to the same collections, so it maintains the same indexes as the API.
  const client = await MongoClient.connect(`${ENGINE}/${database}?retryWrites=false&maxPoolSize=${POOL}`);
  const raw = client.db();
  const row = (name: string, c: number, f: Figures, ratio?: number) =>
    console.log(
      `${name.padEnd(24)} c=${String(c).padEnd(3)} ${f.rps.toFixed(0).padStart(6)} req/s  p50 ${f.p50}ms  p95 ${f.p95}ms  p99 ${f.p99}ms` +
        (ratio !== undefined ? `  api/raw ${ratio.toFixed(2)}` : ''),
    );
  try {
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const res = await fetch('http://127.0.0.1:3901/api/v1/patients', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: caller.authorization },
        body: JSON.stringify(patient()),
      });
      ids.push(((await res.json()) as { id: string }).id);
    }
    const pick = () => ids[Math.floor(Math.random() * ids.length)];
    /** Creates, reads, searches by family and result writes in turn; `family` names whom each concerns. */
    const mixed = (family: () => string) => {
      let i = 0;
      return () => {
        const kind = i++ % 4;
        if (kind === 0) return { method: 'POST', path: '/api/v1/patients', body: patient(family()) };
        if (kind === 1) return { method: 'GET', path: `/api/v1/patients/${pick()}` };
        if (kind === 2) return { method: 'GET', path: `/api/v1/patients?family=${family()}&limit=10` };
        return { method: 'POST', path: `/api/v1/patients/${pick()}/test-results`, body: result() };
      };
    };
    let create64 = 0;
    for (const c of CONCURRENCY) {
      const creates = await load(3901, c, () => ({
        method: 'POST',
        path: '/api/v1/patients',
        body: patient(),
      }));
      const rawCreates = await rawLoop(c, async () => {
        const id = randomUUID();
        await raw.collection('patients').insertOne({ _id: id as never, ...patient() });
        await raw.collection('audit_entries').insertOne(auditEntry(id, 'create') as never);
      });
      row('create (api)', c, creates, creates.rps / rawCreates.rps);
      row('create (raw driver)', c, rawCreates);
      const reads = await load(3901, c, () => ({ method: 'GET', path: `/api/v1/patients/${pick()}` }));
      const rawReads = await rawLoop(c, async () => {
        const id = pick();
        await raw.collection('patients').findOne({ _id: id as never });
        await raw.collection('audit_entries').insertOne(auditEntry(id, 'read') as never);
      });
      row('read (api)', c, reads, reads.rps / rawReads.rps);
      row('read (raw driver)', c, rawReads);
      if (c === 64) create64 = creates.rps;
      const sharedFamily = () => SHARED_FAMILY;
      row('mixed, shared family', c, await load(3901, c, mixed(sharedFamily)));
      row('mixed, 1,000 families', c, await load(3901, c, mixed(someFamily)));
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    api.kill();
    const plain = await startBenchApi(3902, `${database}_plain`, { AUDIT_BENCH_UNCHAINED: 'true' });
    try {
      const unchained = await load(3902, 64, () => ({
        method: 'POST',
        path: '/api/v1/patients',
        body: patient(),
      }));
      row('create, unchained', 64, unchained);
      console.log(
        `create at c=64, signed+chained / unsigned+unchained: ${(create64 / unchained.rps).toFixed(2)} (goal >= 0.8)`,
      );
    } finally {
      plain.kill();
    }
  } finally {
    api.kill();
    await client.close();
  }
}

void main();
