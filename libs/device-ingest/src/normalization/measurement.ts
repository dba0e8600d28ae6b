import { UtcInstant } from '../common/utc-instant';

/** One named reading of a measurement; values stay text, as MedTech keeps them. */
export interface MeasurementProperty {
  readonly name: string;
  readonly value: string;
}

/** A normalised device reading (MedTech's Measurement). */
export interface Measurement {
  readonly type: string;
  readonly occurrenceTimeUtc: UtcInstant;
  readonly deviceId: string;
  readonly patientId?: string;
  readonly encounterId?: string;
  readonly correlationId?: string;
  readonly properties: readonly MeasurementProperty[];
}
