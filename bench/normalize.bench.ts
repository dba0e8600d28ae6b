/**
 * Normalisation + grouping throughput, run by hand: `npm run bench:normalize [events] [maxBuffered]`.
 * 1,000 devices in three formats (a JsonPath heart-rate/SpO2 wearable, an IoT Hub-wrapped blood-pressure
 * cuff, a CalculatedContent ECG strip of 10 samples per message), ~1,000,000 events with 1% duplicates and
 * 5% out of order, generated in memory first; only normalise + group is timed, on this one thread.
 */
import { DeviceMappings, MeasurementGroup } from '@hdp/device-ingest';

const DEVICES = 1_000;
const EVENTS = Number(process.argv[2] ?? 1_000_000);
const ECG_SAMPLES = 10;
const MAX_BUFFERED = Number(process.argv[3] ?? 200_000);
const START = Date.UTC(2024, 2, 1, 8);

const deviceTemplates = {
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

const code = (c: string) => [{ code: c, system: 'http://loinc.org' }];
const sampled = (valueName: string, defaultPeriod: number) => ({
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

function event(i: number): unknown {
  const device = i % DEVICES;
  const time = START + Math.floor(i / DEVICES) * 1000 + device;
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
            t: new Date(time + s * 4).toISOString(),
            mv: (s % 7) / 10,
          })),
        },
      };
  }
}

function generate(): unknown[] {
  const events: unknown[] = [];
  for (let i = 0; events.length < EVENTS; i++) {
    events.push(event(i));
    if (i % 100 === 0) events.push(event(i)); // 1% delivered twice
  }
  events.length = EVENTS;
  for (let i = 0; i + 50 < events.length; i += 20) {
    const j = i + 1 + ((i * 7) % 49); // 5%: swapped with one up to 49 places later
    [events[i], events[j]] = [events[j], events[i]];
  }
  return events;
}

function run(): void {
  const mappings = DeviceMappings.load(deviceTemplates, fhirTemplates);
  const events = generate();
  let now = 0;
  const grouper = mappings.createGrouper({
    maxGroupSize: 3_600,
    maxAgeMs: 60_000,
    maxBuffered: MAX_BUFFERED,
    clock: { now: () => now },
  });
  let measurements = 0;
  let groups = 0;
  const drained = (flushed: MeasurementGroup[]) => (groups += flushed.length);

  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let i = 0; i < events.length; i++) {
    for (const measurement of mappings.normalize(events[i])) {
      measurements++;
      drained(grouper.add(measurement));
    }
    if (i % 10_000 === 0) {
      now += 1_000;
      drained(grouper.flushDue());
    }
  }
  drained(grouper.flushAll());
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  // CPU time of all of the process's threads (GC helpers included): steadier than wall time on a shared machine.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  console.log(
    JSON.stringify({
      events: events.length,
      measurements,
      groups,
      seconds: +seconds.toFixed(2),
      cpuSeconds: +cpuSeconds.toFixed(2),
      eventsPerSecond: Math.round(events.length / seconds),
      eventsPerCpuSecond: Math.round(events.length / cpuSeconds),
      measurementsPerSecond: Math.round(measurements / seconds),
      node: process.version,
    }),
  );
}

/** Normalisation alone, one format at a time, to show where the time goes. */
function byFormat(): void {
  const mappings = DeviceMappings.load(deviceTemplates, fhirTemplates);
  ['wearable', 'iot-hub-cuff', 'ecg-strip'].forEach((format, kind) => {
    const events: unknown[] = [];
    for (let i = 0; events.length < 100_000; i++) if ((i % DEVICES) % 3 === kind) events.push(event(i));
    for (const e of events) mappings.normalize(e); // warm-up, untimed
    const cpuBefore = process.cpuUsage();
    for (const e of events) mappings.normalize(e);
    const cpu = process.cpuUsage(cpuBefore);
    const eventsPerCpuSecond = Math.round(events.length / ((cpu.user + cpu.system) / 1e6));
    console.log(JSON.stringify({ format, normalizeOnly: true, eventsPerCpuSecond }));
  });
}

byFormat();
run();
