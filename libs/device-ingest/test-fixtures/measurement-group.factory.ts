import { MeasurementGroup } from '../src/grouping/measurement-group';
import { Measurement } from '../src/normalization/measurement';
import { instant } from './instant';

/** An hourly group (10:00-10:59:59.9999999 UTC on 2024-03-01) of device-1 for patient-1 unless overridden. */
export const MeasurementGroupFactory = {
  create(measurements: Measurement[], overrides: Partial<MeasurementGroup> = {}): MeasurementGroup {
    return {
      type: measurements[0]?.type ?? 'heartrate',
      deviceId: 'device-1',
      patientId: 'patient-1',
      start: instant('2024-03-01T10:00:00.000Z'),
      end: instant('2024-03-01T10:59:59.9999999Z'),
      measurements,
      ...overrides,
    };
  },
};
