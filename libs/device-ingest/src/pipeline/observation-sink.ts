import { DomainError } from '@hdp/platform';
import { DeviceMappings } from '../device-mappings';
import { MeasurementGroup } from '../grouping/measurement-group';

/** A group the store refused for good (invalid, patient deleted, ...): retrying would not heal it. */
export interface RefusedGroup {
  readonly group: MeasurementGroup;
  readonly error: DomainError;
}

/**
 * Where grouped readings become stored Observations. When `upsert` resolves, every group is durably
 * written (created, or merged into the Observation of the same deterministic identity) or `refused`, so the
 * caller may move its checkpoint once it has kept the refused ones. It must be idempotent: a redelivered
 * group changes nothing. A store failure that may heal (unavailable, timeout) rejects the whole call.
 */
export interface ObservationSink {
  upsert(
    groups: readonly MeasurementGroup[],
    mappings: DeviceMappings,
  ): Promise<{ written: number; refused: RefusedGroup[] }>;
}

/** Nest injection token of the ObservationSink; the FHIR store will provide the production one. */
export const OBSERVATION_SINK = Symbol('ObservationSink');
