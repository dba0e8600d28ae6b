import { FhirValidationError } from '../fhir-validation';
import { fromFhirObservation, toFhirObservation } from './observation.mapper';

const PATIENT = '4b1e7a52-0000-4000-8000-000000000000';
const observation = (overrides: Record<string, unknown> = {}) => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: `Patient/${PATIENT}` },
  effectiveDateTime: '2026-03-01',
  valueQuantity: { value: 44, unit: '/min' },
  ...overrides,
});

describe(fromFhirObservation.name, () => {
  it('takes the patient from the subject; drops the id and the meta the server assigns, keeps the rest', () => {
    const { patientId, content } = fromFhirObservation(
      observation({
        id: 'x',
        meta: { versionId: '9', lastUpdated: '2020-01-01T00:00:00Z', profile: ['http://p'] },
      }),
    );
    expect(patientId).toBe(PATIENT);
    expect(content).toEqual({ ...observation({ meta: { profile: ['http://p'] } }), resourceType: undefined });
  });

  it('round-trips through a stored record', () => {
    const { content } = fromFhirObservation(observation());
    const record = {
      id: PATIENT,
      patientId: PATIENT,
      version: 2,
      updatedAt: '2026-03-02T00:00:00.000Z',
      observation: content,
    };
    expect(toFhirObservation(record)).toEqual({
      ...observation(),
      id: PATIENT,
      meta: { versionId: '2', lastUpdated: '2026-03-02T00:00:00.000Z' },
    });
  });

  it('names every problem at once, by expression, never quoting a value', () => {
    let error: unknown;
    try {
      fromFhirObservation(
        observation({ status: 'Oakenshield', effectiveDateTime: 'Oakenshield', valueString: 'x' }),
      );
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(FhirValidationError);
    expect((error as FhirValidationError).issues.map((issue) => issue.path)).toEqual([
      'Observation.status',
      'Observation.effectiveDateTime',
      'Observation.value[x]',
    ]);
    expect(JSON.stringify((error as FhirValidationError).issues)).not.toContain('Oakenshield');
  });
});
