import { Measurement } from '../src/normalization/measurement';
import { instant } from './instant';

/** Builds a measurement for tests: a heart rate of 70 from device-1 for patient-1 unless overridden. */
export const MeasurementFactory = {
  create(overrides: Partial<Measurement> & { at?: string; value?: string } = {}): Measurement {
    const { at, value, ...rest } = overrides;
    return {
      type: 'heartrate',
      deviceId: 'device-1',
      patientId: 'patient-1',
      occurrenceTimeUtc: instant(at ?? '2024-03-01T10:15:00.000Z'),
      properties: [{ name: 'hr', value: value ?? '70' }],
      ...rest,
    };
  },
};
