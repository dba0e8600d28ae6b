import { DomainError } from '@hdp/platform';
import type { Observation } from 'fhir/r4';
import { readMedTechFixture, readOwnFixture } from '../../test-fixtures/fixture-files';
import { DeadLetter } from '../dead-letters/dead-letter.schema';
import { DeviceMappings } from '../device-mappings';
import { MeasurementGroup } from '../grouping/measurement-group';
import { observationIdentifier, referencesOf } from '../identity/observation-identity';
import { IngestMetrics } from './ingest-metrics';
import { ObservationSink, RefusedGroup } from './observation-sink';
import { PartitionPipeline } from './partition-pipeline';
import { TokenBucket } from './token-bucket';

/** Keeps Observations by identifier and refuses a group the mapping refuses, as the FHIR sink does. */
class InMemoryObservationSink implements ObservationSink {
  readonly stored = new Map<string, Observation>();

  upsert(groups: readonly MeasurementGroup[], mappings: DeviceMappings) {
    let written = 0;
    const refused: RefusedGroup[] = [];
    for (const group of groups) {
      const references = referencesOf(group);
      const key = observationIdentifier(group, references).value ?? '';
      try {
        const merge = mappings.toObservation(group, references, this.stored.get(key));
        if (merge.changed) {
          this.stored.set(key, merge.observation);
          written++;
        }
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        refused.push({ group, error });
      }
    }
    return Promise.resolve({ written, refused });
  }
}

/** An IoT Central blood-pressure cuff's message. */
function cuffReading(at: string, systolic: number, diastolic: number) {
  return { deviceId: 'cuff-1', enqueuedTime: at, telemetry: { systolic, diastolic } };
}

function pipeline() {
  const mappings = DeviceMappings.load(
    readOwnFixture('device-templates/iot-central-blood-pressure.json'),
    readMedTechFixture('data_CodeValueFhirTemplate_Quantity.json'),
  );
  const sink = new InMemoryObservationSink();
  const letters: DeadLetter[] = [];
  const metrics = new IngestMetrics();
  const deadLettered = jest.spyOn(metrics, 'eventDeadLettered');
  const sut = new PartitionPipeline<number>(
    {
      mappings: () => mappings,
      sink,
      resolveIdentity: ({ deviceId }) => Promise.resolve({ deviceId, patientId: 'patient-1' }),
      deadLetters: { addMany: (added) => Promise.resolve(void letters.push(...added)) },
      metrics,
      writeRate: new TokenBucket(1_000),
      backoff: { baseMs: 1, maxMs: 1 },
      limits: { maxGroupSize: 100, maxAgeMs: 60_000, maxBuffered: 1_000 },
      stopping: new AbortController().signal,
    },
    { source: 'http' },
    () => Promise.resolve(),
  );
  return { sut, sink, letters, deadLettered };
}

describe(PartitionPipeline.name, () => {
  it('dead-letters and counts two different blood pressures for one hourly Quantity Observation, keeping both readings', async () => {
    const { sut, sink, letters, deadLettered } = pipeline();
    const events = [
      cuffReading('2024-03-01T10:20:00Z', 120, 80),
      cuffReading('2024-03-01T10:40:00Z', 131, 86),
    ];

    await sut.process(events.map((body, position) => ({ body, position })));
    await sut.close();

    expect(sink.stored.size).toBe(0);
    expect(letters).toEqual([
      expect.objectContaining({
        holds: 'group',
        templateName: 'bloodpressure',
        errorType: 'FhirMappingError',
        reason: 'multiple-values',
        message:
          "Measurement type 'bloodpressure' value 'diastolic': multiple-values (expected 1 value, received 2)",
      }),
    ]);
    const kept = JSON.parse(letters[0].raw) as MeasurementGroup;
    expect(kept.measurements.map((m) => m.properties.map((p) => p.value))).toEqual([
      ['120', '80'],
      ['131', '86'],
    ]);
    expect(deadLettered).toHaveBeenCalledWith('http', 'multiple-values');
  });

  it('writes one blood pressure per hour, and a redelivered copy of it changes nothing', async () => {
    const { sut, sink, letters } = pipeline();
    const reading = cuffReading('2024-03-01T10:20:00Z', 120, 80);

    await sut.process([reading, reading].map((body, position) => ({ body, position })));
    await sut.close();

    expect(letters).toEqual([]);
    expect([...sink.stored.values()].map((o) => o.component?.map((c) => c.valueQuantity?.value))).toEqual([
      [80, 120],
    ]);
  });
});
