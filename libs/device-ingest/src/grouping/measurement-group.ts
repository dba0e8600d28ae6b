import { UtcInstant } from '../common/utc-instant';
import { Measurement } from '../normalization/measurement';

/** Measurements of one device, patient, encounter, type and period: the input of one Observation. */
export interface MeasurementGroup {
  readonly type: string;
  readonly deviceId: string;
  readonly patientId?: string;
  readonly encounterId?: string;
  /** Set when the group is per correlation id (periodInterval -1). */
  readonly correlationId?: string;
  readonly start: UtcInstant;
  readonly end: UtcInstant;
  readonly measurements: readonly Measurement[];
}
