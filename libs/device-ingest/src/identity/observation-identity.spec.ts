import { MeasurementGroupFactory } from '../../test-fixtures/measurement-group.factory';
import {
  MEDTECH_IDENTIFIER_SYSTEM,
  observationIdentifier,
  observationResourceId,
} from './observation-identity';

const references = { patientId: 'patient-1', deviceId: 'device-1' };

describe('observation identity', () => {
  it('names a time-period group patient.device.type.start.end with compact UTC times', () => {
    expect(observationIdentifier(MeasurementGroupFactory.create([]), references)).toEqual({
      system: MEDTECH_IDENTIFIER_SYSTEM,
      value: 'patient-1.device-1.heartrate.20240301100000Z.20240301105959Z',
    });
  });

  it('names a correlation group by its correlation id instead of its period', () => {
    const group = MeasurementGroupFactory.create([], { correlationId: 'session-9' });
    expect(observationIdentifier(group, references).value).toBe('patient-1.device-1.heartrate.session-9');
  });

  it('derives the resource id as the SHA-256 of system_value in lower-case hex', () => {
    const identifier = observationIdentifier(MeasurementGroupFactory.create([]), references);
    // sha256sum of "https://azure.microsoft.com/en-us/services/iomt-fhir-connector/_patient-1.device-1.heartrate.20240301100000Z.20240301105959Z"
    expect(observationResourceId(identifier)).toBe(
      'be7e2e28f4f759ab0c488f5fb26f23daad9b18dac109ea0c1f4eb079aefef4fa',
    );
  });
});
