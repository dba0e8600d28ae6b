/**
 * Normalisation + grouping throughput, run by hand: `npm run bench:normalize [events] [maxBuffered]`.
 * 1,000 devices in three formats (a JsonPath heart-rate/SpO2 wearable, an IoT Hub-wrapped blood-pressure
 * cuff, a CalculatedContent ECG strip of 10 samples per message), ~1,000,000 events with 1% duplicates and
 * 5% out of order, built batch by batch between the timed spans; only normalise + group is timed, on this thread.
 */
import { DeviceMappings, MeasurementGroup } from '@hdp/device-ingest';

export const DEVICES = 1_000;
const ECG_SAMPLES = 10;

export const deviceTemplates = {
  templateType: 'CollectionContent',
  template: [
    {
      templateType: 'JsonPathContent',
      template: {
        typeName: 'vitals',
        typeMatchExpression: '$..[?(@heartRate && @spo2)]',
        deviceIdExpression: '$.deviceId',
        patientIdExpression: '$.patientId',
        timestampExpression: '$.time',
        values: [
          { valueName: 'hr', valueExpression: '$.heartRate', required: true },
          { valueName: 'spo2', valueExpression: '$.spo2', required: true },
        ],
      },
    },
    {
      templateType: 'IotJsonPathContent',
      template: {
        typeName: 'bloodpressure',
        typeMatchExpression: '$..[?(@Body.systolic && @Body.diastolic)]',
        patientIdExpression: '$.Body.patientId',
        values: [
          { valueName: 'systolic', valueExpression: '$.Body.systolic', required: true },
          { valueName: 'diastolic', valueExpression: '$.Body.diastolic', required: true },
        ],
      },
    },
    {
      templateType: 'CalculatedContent',
      template: {
        typeName: 'ecg',
        typeMatchExpression: '$.Body.strip[*]',
        deviceIdExpression: '$.Body.deviceId',
        patientIdExpression: '$.Body.patientId',
        timestampExpression: '$.matchedToken.t',
        values: [{ valueName: 'mv', valueExpression: '$.matchedToken.mv', required: true }],
      },
    },
  ],
};

export const code = (c: string) => [{ code: c, system: 'http://loinc.org' }];
export const sampled = (valueName: string, defaultPeriod: number) => ({
  valueType: 'SampledData',
  valueName,
  defaultPeriod,
  unit: '',
});
const fhirTemplates = {
  templateType: 'CollectionFhir',
  template: [
    {
      templateType: 'CodeValueFhir',
      template: {
        typeName: 'vitals',
        codes: code('8867-4'),
        periodInterval: 60,
        components: [
          { codes: code('8867-4'), value: sampled('hr', 1000) },
          { codes: code('59408-5'), value: sampled('spo2', 1000) },
        ],
      },
    },
    {
      templateType: 'CodeValueFhir',
      template: {
        typeName: 'bloodpressure',
        codes: code('85354-9'),
        periodInterval: 0,
        components: [
          { codes: code('8480-6'), value: { valueType: 'Quantity', valueName: 'systolic', unit: 'mmHg' } },
          { codes: code('8462-4'), value: { valueType: 'Quantity', valueName: 'diastolic', unit: 'mmHg' } },
        ],
      },
    },
    {
      templateType: 'CodeValueFhir',
      template: { typeName: 'ecg', codes: code('131328'), periodInterval: 60, value: sampled('mv', 4) },
    },
  ],
};

/** How generated events look: when the first reading is, and the spacing of an ECG strip's samples. */
export interface Workload {
  readonly start: number;
  readonly ecgStepMs: number;
}

const NORMALIZE_WORKLOAD: Workload = { start: Date.UTC(2024, 2, 1, 8), ecgStepMs: 4 };

/**
 * Event number `i`: device `i % 1000` (a third each of wearables, cuffs and ECG monitors), one message a
 * second per device, offset by the device's number in milliseconds.
 */
export function deviceEvent(i: number, { start, ecgStepMs }: Workload = NORMALIZE_WORKLOAD): unknown {
  const device = i % DEVICES;
  const time = start + Math.floor(i / DEVICES) * 1000 + device;
  const iso = new Date(time).toISOString();
  switch (device % 3) {
    case 0:
      return {
        deviceId: `watch-${device}`,
        patientId: `p-${device}`,
        time: iso,
        heartRate: 60 + (i % 40),
        spo2: 95 + (i % 5),
      };
    case 1:
      return {
        Body: { patientId: `p-${device}`, systolic: 110 + (i % 30), diastolic: 70 + (i % 20) },
        Properties: { 'iothub-creation-time-utc': iso },
        SystemProperties: { 'iothub-connection-device-id': `cuff-${device}`, 'iothub-enqueuedtime': iso },
      };
    default:
      return {
        Body: {
          deviceId: `ecg-${device}`,
          patientId: `p-${device}`,
          strip: Array.from({ length: ECG_SAMPLES }, (_, s) => ({
            t: new Date(time + s * ecgStepMs).toISOString(),
            mv: (s % 7) / 10,
          })),
        },
      };
  }
}

/**
 * The delivery order as event numbers (4 bytes each, so a million events cost no heap): 1% delivered
 * twice, 5% swapped with one up to 49 places later.
 */
export function deliveryOrder(total: number): Int32Array {
  const order = new Int32Array(total);
  for (let i = 0, n = 0; n < total; i++) {
    order[n++] = i;
    if (i % 100 === 0 && n < total) order[n++] = i;
  }
  for (let i = 0; i + 50 < total; i += 20) {
    const j = i + 1 + ((i * 7) % 49);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** The events of `order[from..to)`, built as a source would hand them over in one batch. */
export function batchOf(order: Int32Array, from: number, to: number, workload?: Workload): unknown[] {
  const events: unknown[] = [];
  for (let n = from; n < to; n++) events.push(deviceEvent(order[n], workload));
  return events;
}

const BATCH = 10_000;

/**
 * Normalises and groups `events` events (in delivery order) on this thread, building each batch of 10,000
 * outside the timed spans, as a source would hand them over; returns the figures.
 */
export function timeNormalizeAndGroup(
  mappings: DeviceMappings,
  { events: total, maxBuffered, workload }: { events: number; maxBuffered: number; workload?: Workload },
) {
  const order = deliveryOrder(total);
  let now = 0;
  const grouper = mappings.createGrouper({
    maxGroupSize: 3_600,
    maxAgeMs: 60_000,
    maxBuffered,
    clock: { now: () => now },
  });
  let measurements = 0;
  let groups = 0;
  const drained = (flushed: readonly MeasurementGroup[]) => (groups += flushed.length);

  // Batches are built between the timed spans, as a source would hand them over; only normalise + group count.
  let cpuMicros = 0;
  let wallNanos = 0n;
  for (let from = 0; from < total; from += BATCH) {
    const events = batchOf(order, from, Math.min(from + BATCH, total), workload);
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (const message of events) {
      for (const measurement of mappings.normalize(message)) {
        measurements++;
        drained(grouper.add(measurement));
      }
    }
    now += 1_000;
    drained(grouper.flushDue());
    if (from + BATCH >= total) drained(grouper.flushAll());
    wallNanos += process.hrtime.bigint() - started;
    const cpu = process.cpuUsage(cpuBefore);
    cpuMicros += cpu.user + cpu.system;
  }
  const seconds = Number(wallNanos) / 1e9;
  // CPU time of all of the process's threads (GC helpers included): steadier than wall time on a shared machine.
  const cpuSeconds = cpuMicros / 1e6;

  return {
    events: total,
    measurements,
    groups,
    seconds: +seconds.toFixed(2),
    cpuSeconds: +cpuSeconds.toFixed(2),
    eventsPerSecond: Math.round(total / seconds),
    eventsPerCpuSecond: Math.round(total / cpuSeconds),
    measurementsPerSecond: Math.round(measurements / seconds),
    node: process.version,
  };
}

/** Normalisation alone, one format at a time, to show where the time goes. */
function byFormat(): void {
  const mappings = DeviceMappings.load(deviceTemplates, fhirTemplates);
  ['wearable', 'iot-hub-cuff', 'ecg-strip'].forEach((format, kind) => {
    const events: unknown[] = [];
    for (let i = 0; events.length < 100_000; i++) if ((i % DEVICES) % 3 === kind) events.push(deviceEvent(i));
    for (const e of events) mappings.normalize(e); // warm-up, untimed
    const cpuBefore = process.cpuUsage();
    for (const e of events) mappings.normalize(e);
    const cpu = process.cpuUsage(cpuBefore);
    const eventsPerCpuSecond = Math.round(events.length / ((cpu.user + cpu.system) / 1e6));
    console.log(JSON.stringify({ format, normalizeOnly: true, eventsPerCpuSecond }));
  });
}

if (require.main === module) {
  byFormat();
  const figures = timeNormalizeAndGroup(DeviceMappings.load(deviceTemplates, fhirTemplates), {
    events: Number(process.argv[2] ?? 1_000_000),
    maxBuffered: Number(process.argv[3] ?? 200_000),
  });
  console.log(JSON.stringify(figures));
}
