/**
 * npm run bench:ingest — the device pipeline's numbers (issue 7). Needs the engine on its own port:
 * `bash scripts/ferretdb.sh start 27618` (BENCH_MONGODB_URL overrides).
 * 1,000 devices in three formats (JsonPath wearable, IoT Hub blood-pressure cuff with components,
 * CalculatedContent ECG strip into SampledData), BENCH_INGEST_EVENTS events (default 1,000,000) with 1%
 * duplicates and 5% out of order, everything grouped hourly:
 *  1. normalisation + grouping alone, on this one thread;
 *  2. end to end through the service's own pipeline (PartitionPipeline, identity resolution creating each
 *     new Device and Patient, the OBSERVATION_SINK writing through the FHIR face with its audit entries,
 *     checkpoints), fed in batches as the Event Hubs SDK hands them over;
 *  3. a read-back of every stored Observation proving each reading is there exactly once (exit 1 if not).
 * DEVICE_* variables tune the pipeline as they do the service; DEVICE_WRITES_PER_SECOND defaults to its cap.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import {
  DeviceMappings,
  DevicePipelineModule,
  IngestPipelineFactory,
  MEDTECH_IDENTIFIER_SYSTEM,
} from '@hdp/device-ingest';
import {
  ConfigModule,
  DatabaseModule,
  EnvSecretSource,
  loadConfig,
  OidcModule,
  SecretsModule,
} from '@hdp/platform';
import type { Observation, SampledData } from 'fhir/r4';
import { Connection } from 'mongoose';
import {
  batchOf,
  code,
  deliveryOrder,
  deviceEvent,
  deviceTemplates,
  sampled,
  timeNormalizeAndGroup,
  Workload,
} from './normalize.bench';

const ENGINE = process.env.BENCH_MONGODB_URL ?? 'mongodb://127.0.0.1:27618';
const EVENTS = Number(process.env.BENCH_INGEST_EVENTS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_INGEST_BATCH ?? 1_000);
/** Starts ten minutes before an hour, so every device's readings span two hourly Observations. */
const WORKLOAD: Workload = { start: Date.UTC(2024, 2, 1, 7, 50), ecgStepMs: 100 };

// Hourly, and every reading kept: SampledData values (slots of the readings' own spacing), also in components.
const fhirTemplates = {
  templateType: 'CollectionFhir',
  template: [
    hourly('vitals', '8867-4', {
      components: [
        { codes: code('8867-4'), value: sampled('hr', 1000) },
        { codes: code('59408-5'), value: sampled('spo2', 1000) },
      ],
    }),
    hourly('bloodpressure', '85354-9', {
      components: [
        { codes: code('8480-6'), value: sampled('systolic', 1000) },
        { codes: code('8462-4'), value: sampled('diastolic', 1000) },
      ],
    }),
    hourly('ecg', '131328', { value: sampled('mv', WORKLOAD.ecgStepMs) }),
  ],
};

function hourly(typeName: string, loinc: string, values: object) {
  return {
    templateType: 'CodeValueFhir',
    template: { typeName, codes: code(loinc), periodInterval: 60, ...values },
  };
}

async function main(): Promise<void> {
  const mappings = DeviceMappings.load(deviceTemplates, fhirTemplates);
  const alone = timeNormalizeAndGroup(mappings, { events: EVENTS, maxBuffered: 100_000, workload: WORKLOAD });
  console.log(JSON.stringify({ part: 'normalise + group alone', ...alone }));

  const app = await startPipeline();
  try {
    const endToEnd = await runEndToEnd(app.pipelines, app.connection);
    console.log(JSON.stringify({ part: 'end to end', ...endToEnd }));
    const check = await checkReadings(app.connection, mappings);
    console.log(JSON.stringify({ part: 'read-back check', ...check }));
    if (!check.ok) process.exitCode = 1;
  } finally {
    await app.connection.dropDatabase();
    await app.close();
  }
}

async function startPipeline() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ingest-'));
  writeFileSync(join(dir, 'device.json'), JSON.stringify(deviceTemplates));
  writeFileSync(join(dir, 'fhir.json'), JSON.stringify(fhirTemplates));
  const uri = `${ENGINE}/bench_ingest_${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    DEVICE_WRITES_PER_SECOND: '10000',
    // The bench's devices and patients are new: the pipeline creates them as it meets them.
    DEVICE_IDENTITY_RESOLUTION: 'Create',
    ...process.env,
    MONGODB_URI: uri,
    LOG_LEVEL: 'warn',
    DEVICE_INGEST_ENABLED: 'false',
    DEVICE_TEMPLATES_PATH: join(dir, 'device.json'),
    FHIR_TEMPLATES_PATH: join(dir, 'fhir.json'),
  });
  const secrets = { MONGODB_URI: uri, SUBSCRIPTION_KEY_PEPPER: randomBytes(32).toString('hex') };
  const app = await NestFactory.createApplicationContext(
    {
      module: class IngestBenchModule {},
      imports: [
        ConfigModule.forRoot(config),
        SecretsModule.forRoot(new EnvSecretSource(secrets)),
        OidcModule,
        DatabaseModule,
        DevicePipelineModule,
      ],
    },
    { logger: ['warn', 'error'] },
  );
  return {
    pipelines: app.get(IngestPipelineFactory),
    connection: app.get<Connection>(getConnectionToken()),
    close: () => app.close(),
  };
}

/** One partition's pipeline, fed batch after batch; done when the last event is checkpointed. */
async function runEndToEnd(pipelines: IngestPipelineFactory, connection: Connection) {
  const order = deliveryOrder(EVENTS);
  let checkpoints = 0;
  let checkpointed = -1;
  const pipeline = pipelines.create<number>({ source: 'event-hub', partitionId: '0' }, (position) => {
    checkpoints++;
    checkpointed = position;
    return Promise.resolve();
  });
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100);
  const flusher = setInterval(() => void pipeline.flushIfDue(), 1_000); // as EventHubSource does
  const started = process.hrtime.bigint();
  try {
    for (let from = 0; from < EVENTS; from += BATCH) {
      const bodies = batchOf(order, from, Math.min(from + BATCH, EVENTS), WORKLOAD);
      await pipeline.process(bodies.map((body, i) => ({ body, position: from + i })));
    }
    await pipeline.close();
  } finally {
    clearInterval(flusher);
    clearInterval(sampler);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  const written = await observationWrites(connection);
  return {
    events: EVENTS,
    seconds: +seconds.toFixed(1),
    eventsPerSecond: Math.round(EVENTS / seconds),
    observationWrites: written,
    observationWritesPerSecond: Math.round(written / seconds),
    writesPerEvent: +(written / EVENTS).toFixed(4),
    peakRssMb: Math.round(peakRss / 2 ** 20),
    checkpoints,
    lastCheckpointIsLastEvent: checkpointed === EVENTS - 1,
  };
}

/** Every create stores version 1 and every update adds one, so the versions add up to the writes. */
async function observationWrites(connection: Connection): Promise<number> {
  const [total] = await connection
    .collection('test_results')
    .aggregate<{ writes: number }>([{ $group: { _id: null, writes: { $sum: '$version' } } }])
    .toArray();
  return total?.writes ?? 0;
}

/** The message's device id of each Device the pipeline created (its identifier), by resource id. */
async function deviceIdsByResource(connection: Connection): Promise<Map<string, string>> {
  const devices = new Map<string, string>();
  for await (const doc of connection.collection('devices').find({})) {
    const device = doc.device as { identifier?: { value?: string }[] };
    devices.set(String(doc._id), device.identifier?.[0]?.value ?? '?');
  }
  return devices;
}

/**
 * Every reading of every distinct event, as the service's own normaliser reads it, against every reading in
 * every stored Observation (each non-empty SampledData slot): per device and value, the count and a sum of
 * hashes of (slot time, value) must agree, so a lost, changed or doubled reading shows.
 */
async function checkReadings(connection: Connection, mappings: DeviceMappings) {
  const expected = new Digests();
  const order = deliveryOrder(EVENTS);
  const last = order.reduce((max, n) => Math.max(max, n), 0);
  for (let i = 0; i <= last; i++) {
    for (const m of mappings.normalize(deviceEvent(i, WORKLOAD))) {
      for (const { name, value } of m.properties) {
        const step = name === 'mv' ? WORKLOAD.ecgStepMs : 1000;
        const slot = m.occurrenceTimeUtc.getTime() - (m.occurrenceTimeUtc.getTime() % step);
        expected.add(`${m.deviceId}|${name}`, slot, value);
      }
    }
  }
  const stored = new Digests();
  const devices = await deviceIdsByResource(connection);
  let observations = 0;
  for await (const doc of connection.collection('test_results').find({ deleted: false })) {
    observations++;
    const resource = doc.observation as Observation;
    const device = devices.get(resource.device?.reference?.replace('Device/', '') ?? '') ?? '?';
    const start = Date.parse(resource.effectivePeriod?.start ?? '');
    if (resource.valueSampledData) addSlots(stored, `${device}|mv`, start, resource.valueSampledData);
    for (const component of resource.component ?? []) {
      const name = component.code.coding?.find((c) => c.system === MEDTECH_IDENTIFIER_SYSTEM)?.code;
      if (component.valueSampledData)
        addSlots(stored, `${device}|${name}`, start, component.valueSampledData);
    }
  }
  const mismatched = expected.differences(stored);
  return {
    ok: mismatched.length === 0,
    observations,
    readingsExpected: expected.total,
    readingsStored: stored.total,
    mismatchedSeries: mismatched.length,
    firstMismatches: mismatched.slice(0, 5),
  };
}

function addSlots(into: Digests, series: string, start: number, data: SampledData): void {
  data.data?.split(' ').forEach((value, slot) => {
    if (value !== 'E') into.add(series, start + slot * (data.period ?? 0), value);
  });
}

/** Per series: how many readings, and a sum of their hashes (order-free, so a multiset fingerprint). */
class Digests {
  private readonly series = new Map<string, { count: number; sum: number }>();
  total = 0;

  add(series: string, time: number, value: string): void {
    const digest = this.series.get(series) ?? { count: 0, sum: 0 };
    digest.count++;
    digest.sum = (digest.sum + fnv1a(`${time}=${value}`)) % Number.MAX_SAFE_INTEGER;
    this.series.set(series, digest);
    this.total++;
  }

  differences(other: Digests): string[] {
    const names = new Set([...this.series.keys(), ...other.series.keys()]);
    return [...names].filter((name) => {
      const [a, b] = [this.series.get(name), other.series.get(name)];
      return a?.count !== b?.count || a?.sum !== b?.sum;
    });
  }
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
