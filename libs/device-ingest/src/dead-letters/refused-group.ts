import { UtcInstant } from '../common/utc-instant';
import { FhirMappingError } from '../errors/fhir-mapping.error';
import { MeasurementGroup } from '../grouping/measurement-group';
import { Measurement } from '../normalization/measurement';
import { parseTimestamp } from '../normalization/timestamp';
import { EventFailure } from '../pipeline/event-mapping';
import { IngestSource } from '../pipeline/ingest-metrics';
import { RefusedGroup } from '../pipeline/observation-sink';
import { DeadLetter } from './dead-letter.schema';

/**
 * A group the store refused, as a dead letter: its readings under their resolved device, patient and
 * encounter (the events they came from are not kept once grouped), so a replay can write it as it was.
 */
export function refusedGroupLetter(
  { group, error }: RefusedGroup,
  origin: { source: IngestSource; partitionId?: string },
): DeadLetter {
  return {
    source: origin.source,
    ...(origin.partitionId === undefined ? {} : { partitionId: origin.partitionId }),
    holds: 'group',
    raw: JSON.stringify(group),
    ...refusedGroupFailure({ group, error }),
    failedAt: new Date(),
    replayAttempts: 0,
  };
}

/**
 * Why the store refused a group, as a dead letter says it (the error's own message: no reading in it). A
 * mapping failure (e.g. `multiple-values`) keeps its own reason; the store's refusals say what kind they are.
 */
export function refusedGroupFailure({ group, error }: RefusedGroup): EventFailure {
  return {
    templateName: group.type,
    errorType: error.name,
    reason: error instanceof FhirMappingError ? error.reason : `observation-refused-${error.kind}`,
    message: error.message,
  };
}

/** The group a `holds: 'group'` letter keeps, with its times as instants again (every tick kept). */
export function groupOf(raw: string): MeasurementGroup {
  const group = JSON.parse(raw) as MeasurementGroup & { start: string; end: string };
  return {
    ...group,
    start: instantOf(group.start),
    end: instantOf(group.end),
    measurements: group.measurements.map((m): Measurement => ({
      ...m,
      occurrenceTimeUtc: instantOf(m.occurrenceTimeUtc),
    })),
  };
}

function instantOf(written: unknown): UtcInstant {
  const time = parseTimestamp(written);
  if (time === undefined) throw new Error('A dead letter holds a group with an unreadable time');
  return time;
}
