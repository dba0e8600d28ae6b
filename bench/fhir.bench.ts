/**
 * npm run bench:fhir — the FHIR face against the REST API over the same records. Needs the engine:
 * `bash scripts/ferretdb.sh start 27418` (BENCH_MONGODB_URL overrides).
 *
 * 1. Ingest, all through the API: BENCH_PATIENTS Patients (default 10,000) and BENCH_OBSERVATIONS Observations
 *    (default 100,000) over FHIR, a tenth by single creates (16 at a time), the rest in transaction Bundles of 100.
 * 2. Search latency at a tenth of the Observations and at all of them (the 10k -> 100k growth; goal p95 <= 50 ms
 *    at c=16 and growth within x1.5).
 * 3. Reads, searches and creates at concurrency 16 and 64, each over FHIR and over REST: the ratio FHIR/REST,
 *    and requests per CPU-second of the API process (goal >= 400; HAPI FHIR does about 380 per vCPU).
 * Figures on a shared 2-core machine are noisy: compare ratios from the same run, not absolute numbers.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Principal, Role } from '@hdp/platform';
import { benchCaller, BenchCaller, cpuSeconds, startApi } from './api-process';
import { BenchRequest, Figures, load, nhsNumber } from './http-load';

const ENGINE = process.env.BENCH_MONGODB_URL ?? 'mongodb://127.0.0.1:27418';
const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 10_000);
const OBSERVATIONS = Number(process.env.BENCH_OBSERVATIONS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const POOL = Number(process.env.BENCH_POOL ?? 12);
const PORT = 3911;
const FAMILIES = 1000;
const BUNDLE_SIZE = 100;
const FHIR_JSON = 'application/fhir+json';
const LOINC = 'http://loinc.org';
const CODES = ['8867-4', '2339-0', '8310-5', '29463-7'];
const PRINCIPAL: Principal = {
  id: 'bench-user',
  clientId: 'bench',
  roles: [Role.Clinician],
  scopes: ['user/*.cruds'],
};

let caller: BenchCaller;
/** A Patient that `settled` reads. */
let probePatient: string;
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

const patient = (i: number) => ({
  resourceType: 'Patient',
  identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhsNumber() }],
  name: [{ family: `Family${i % FAMILIES}`, given: ['Load'] }],
  gender: 'unknown',
  birthDate: '1970-01-01',
});

/** The same patient as the REST API takes it: one name, no resourceType. */
const restPatient = ({ identifier, name, gender, birthDate }: ReturnType<typeof patient>) => ({
  identifier,
  name: name[0],
  gender,
  birthDate,
});

/** An Observation as the store holds it: without resourceType. */
const observationContent = (subject: string, i: number) => ({
  status: 'final',
  code: { coding: [{ system: LOINC, code: CODES[i % CODES.length] }] },
  subject: { reference: subject },
  effectiveDateTime: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
  valueQuantity: { value: 60 + (i % 40), unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
});

const observation = (subject: string, i: number) => ({
  resourceType: 'Observation',
  ...observationContent(subject, i),
});

async function send(method: string, path: string, body?: object): Promise<Response> {
  const res = await fetch(`http://127.0.0.1:${PORT}${path}`, {
    method,
    headers: {
      authorization: caller.authorization,
      ...(body ? { 'content-type': FHIR_JSON } : {}),
    },
    body: body && JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path.split('?')[0]}: ${res.status}`);
  return res;
}

/** Runs `count` tasks with `concurrency` workers; resolves to tasks per second. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>) {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

const created = async (res: Response) => ((await res.json()) as { id: string }).id;

/** Posts a transaction of Observations; its status and, when refused, the outcome's issue codes. */
async function transaction(
  subjects: readonly string[],
  from: number,
): Promise<{ ok: boolean; refusal: string }> {
  const bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: subjects.map((subject, k) => ({
      resource: observation(subject, from + k),
      request: { method: 'POST', url: 'Observation' },
    })),
  };
  const res = await fetch(`http://127.0.0.1:${PORT}/fhir/R4`, {
    method: 'POST',
    headers: { authorization: caller.authorization, 'content-type': FHIR_JSON },
    body: JSON.stringify(bundle),
  });
  const body = (await res.json().catch(() => ({}))) as { issue?: { code?: string }[] };
  const codes = (body.issue ?? []).map(({ code }) => code).join(',');
  return { ok: res.ok, refusal: `${res.status} ${codes}` };
}

interface Searches {
  [name: string]: () => BenchRequest;
}

function searches(patients: readonly string[]): Searches {
  return {
    'Patient?family': () => ({
      method: 'GET',
      path: `/fhir/R4/Patient?family=Family${Math.floor(Math.random() * FAMILIES)}&_count=10`,
    }),
    'Observation?patient': () => ({
      method: 'GET',
      path: `/fhir/R4/Observation?patient=${pick(patients)}&_count=10`,
    }),
    'Observation?patient&code': () => ({
      method: 'GET',
      path: `/fhir/R4/Observation?patient=${pick(patients)}&code=${encodeURIComponent(`${LOINC}|${pick(CODES)}`)}&_count=10`,
    }),
    'Observation?code&date': () => ({
      method: 'GET',
      path: `/fhir/R4/Observation?code=${pick(CODES)}&date=ge2026-01-02&date=lt2026-01-03&_count=10`,
    }),
  };
}

const fmt = (f: Figures) =>
  f.rps === 0
    ? `     0 req/s  no request answered (autocannon gives a request up after 10 s)`
    : `${f.rps.toFixed(0).padStart(6)} req/s  p50 ${f.p50}ms  p95 ${f.p95}ms  p99 ${f.p99}ms`;

/** a / b, or n/a when either load had nothing answered to compare (a load that timed out). */
const ratio = (a: number, b: number) => (a > 0 && b > 0 ? (a / b).toFixed(2) : 'n/a');

/**
 * Waits (up to 5 min) until a Patient read answers 200 within 500 ms: the work of requests a load gave up on
 * goes on in the server and would otherwise be charged to the next load.
 */
async function settled(): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${PORT}/fhir/R4/Patient/${probePatient}`, {
      headers: { authorization: caller.authorization },
    });
    await res.arrayBuffer();
    if ((res.ok && performance.now() - started < 500) || Date.now() > deadline) return;
  }
}

/** A load once the server is idle, with the CPU the API process spent answering it. */
async function measured(pid: number, connections: number, next: () => BenchRequest) {
  await settled();
  const cpuBefore = cpuSeconds(pid);
  const figures = await load(PORT, caller, connections, SECONDS, next);
  return { ...figures, cpu: cpuSeconds(pid) - cpuBefore };
}

/** Requests answered per CPU-second of the API process. */
const perCpu = (f: Figures & { cpu: number }) =>
  `${((f.rps * SECONDS) / Math.max(f.cpu, 0.01)).toFixed(0).padStart(5)} req/API-CPU-s`;

async function searchLatency(label: string, all: Searches): Promise<Record<string, Figures>> {
  const figures: Record<string, Figures> = {};
  for (const [name, next] of Object.entries(all)) {
    await settled();
    figures[name] = await load(PORT, caller, 16, SECONDS, next);
    console.log(`${label.padEnd(18)} ${name.padEnd(26)} c=16 ${fmt(figures[name])}`);
  }
  return figures;
}

async function main(): Promise<void> {
  caller = await benchCaller(PRINCIPAL);
  const database = `bench_fhir_${randomBytes(4).toString('hex')}`;
  const uri = `${ENGINE}/${database}`;
  const api = await startApi(PORT, caller, {
    MONGODB_URI: `${uri}?maxPoolSize=${POOL}`,
    AUDIT_SIGNING_KEY: `bench:${randomBytes(32).toString('base64')}`,
  });
  try {
    const patients: string[] = [];
    const patientRate = await pool(PATIENTS, 16, async (i) => {
      patients.push(await created(await send('POST', '/fhir/R4/Patient', patient(i))));
    });
    console.log(`ingest Patients, single creates, c=16: ${patientRate.toFixed(0)} resources/s (${PATIENTS})`);
    probePatient = patients[0];

    const observations: { id: string; patientId: string }[] = [];
    const createObservation = async (i: number) => {
      const patientId = patients[i % patients.length];
      const id = await created(
        await send('POST', '/fhir/R4/Observation', observation(`Patient/${patientId}`, i)),
      );
      observations.push({ id, patientId });
    };
    const tenth = Math.floor(OBSERVATIONS / 10);
    const singleRate = await pool(tenth, 16, createObservation);
    console.log(`ingest Observations, single creates, c=16: ${singleRate.toFixed(0)} resources/s (${tenth})`);
    const all = searches(patients);
    const atTenth = await searchLatency(`at ${tenth}`, all);

    const rest = OBSERVATIONS - tenth;
    const bundles = Math.ceil(rest / BUNDLE_SIZE);
    const subjects = (b: number) =>
      Array.from(
        { length: BUNDLE_SIZE },
        (_, k) => `Patient/${patients[(b * BUNDLE_SIZE + k) % patients.length]}`,
      );
    if ((await transaction(subjects(0), tenth)).ok) {
      // A refused Bundle is reported and the run goes on: its 100 Observations are not counted as ingested.
      const refusals: string[] = [];
      const bundleRate = await pool(bundles - 1, 4, async (b) => {
        const { ok, refusal } = await transaction(subjects(b + 1), tenth + (b + 1) * BUNDLE_SIZE);
        if (!ok) refusals.push(refusal);
      });
      const committed = (bundles - 1 - refusals.length) / (bundles - 1);
      console.log(
        `ingest Observations, transaction Bundles of ${BUNDLE_SIZE}, 4 at a time: ${(bundleRate * BUNDLE_SIZE * committed).toFixed(0)} resources/s (${rest}; ${refusals.length} Bundles refused${refusals.length > 0 ? `: ${[...new Set(refusals)].join('; ')}` : ''})`,
      );
    } else {
      console.log('transaction Bundles: not served by this build; the rest goes in by single creates');
      const rate = await pool(rest, 16, (i) => createObservation(tenth + i));
      console.log(`ingest Observations, single creates, c=16: ${rate.toFixed(0)} resources/s (${rest})`);
    }
    const atAll = await searchLatency(`at ${OBSERVATIONS}`, all);
    for (const name of Object.keys(all))
      console.log(
        `search growth ${name.padEnd(26)} p50 x${ratio(atAll[name].p50, atTenth[name].p50)} from ${tenth} to ${OBSERVATIONS} Observations (goal: within x1.5)`,
      );

    const pairs: [string, () => BenchRequest, () => BenchRequest][] = [
      [
        'read Patient',
        () => ({ method: 'GET', path: `/fhir/R4/Patient/${pick(patients)}` }),
        () => ({ method: 'GET', path: `/api/v1/patients/${pick(patients)}` }),
      ],
      [
        'read Observation',
        () => ({ method: 'GET', path: `/fhir/R4/Observation/${pick(observations).id}` }),
        () => {
          const { id, patientId } = pick(observations);
          return { method: 'GET', path: `/api/v1/patients/${patientId}/test-results/${id}` };
        },
      ],
      [
        'search Patient by family',
        () => ({
          method: 'GET',
          path: `/fhir/R4/Patient?family=Family${Math.floor(Math.random() * FAMILIES)}&_count=10`,
        }),
        () => ({
          method: 'GET',
          path: `/api/v1/patients?family=Family${Math.floor(Math.random() * FAMILIES)}&limit=10`,
        }),
      ],
      [
        'search results of a patient',
        () => ({ method: 'GET', path: `/fhir/R4/Observation?patient=${pick(patients)}&_count=10` }),
        () => ({ method: 'GET', path: `/api/v1/patients/${pick(patients)}/test-results?limit=10` }),
      ],
      [
        'create Patient',
        () => ({ method: 'POST', path: '/fhir/R4/Patient', body: patient(0), contentType: FHIR_JSON }),
        () => ({ method: 'POST', path: '/api/v1/patients', body: restPatient(patient(0)) }),
      ],
    ];
    for (const connections of [16, 64]) {
      for (const [name, fhir, restRequest] of pairs) {
        const overFhir = await measured(api.pid!, connections, fhir);
        const overRest = await measured(api.pid!, connections, restRequest);
        console.log(`${name.padEnd(28)} c=${connections}  FHIR ${fmt(overFhir)}  ${perCpu(overFhir)}`);
        console.log(
          `${''.padEnd(28)} c=${connections}  REST ${fmt(overRest)}  ${perCpu(overRest)}  FHIR/REST ${ratio(overFhir.rps, overRest.rps)} (goal >= 0.8)`,
        );
      }
    }
  } finally {
    api.kill();
  }
}

void main();
