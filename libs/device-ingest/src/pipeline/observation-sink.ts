import { DeviceMappings } from '../device-mappings';
import { MeasurementGroup } from '../grouping/measurement-group';

/**
 * Where grouped readings become stored Observations. When `upsert` resolves, every group is durably
 * written (created, or merged into the Observation of the same deterministic identity), so the caller
 * may move its checkpoint. It must be idempotent: a redelivered group changes nothing.
 */
export interface ObservationSink {
  upsert(groups: readonly MeasurementGroup[], mappings: DeviceMappings): Promise<{ written: number }>;
}

/** Nest injection token of the ObservationSink; the FHIR store will provide the production one. */
export const OBSERVATION_SINK = Symbol('ObservationSink');
