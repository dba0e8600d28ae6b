import { DomainError, ErrorKind } from '@hdp/platform';
import { instant } from '../../test-fixtures/instant';
import { MeasurementGroupFactory } from '../../test-fixtures/measurement-group.factory';
import { MeasurementFactory } from '../../test-fixtures/measurement.factory';
import { FhirMappingError, FhirMappingFailure } from '../errors/fhir-mapping.error';
import { groupOf, refusedGroupLetter } from './refused-group';

class PatientGoneError extends DomainError {
  readonly kind = ErrorKind.Unprocessable;
}

describe(refusedGroupLetter.name, () => {
  const at = '2019-01-30T22:45:02.6073744Z';
  const group = MeasurementGroupFactory.create([MeasurementFactory.create({ at })], {
    start: instant(at),
    end: instant(at),
  });
  const origin = { source: 'event-hub' as const, partitionId: '0' };

  it('keeps the group so that a replay reads back every reading at its exact instant', () => {
    const letter = refusedGroupLetter({ group, error: new PatientGoneError('gone') }, origin);
    expect(groupOf(letter.raw)).toEqual(group);
    expect(JSON.parse(letter.raw)).toMatchObject({ start: at, measurements: [{ occurrenceTimeUtc: at }] });
  });

  it('gives a mapping failure its own reason, and a store refusal its kind', () => {
    const multiple = new FhirMappingError(FhirMappingFailure.MultipleValues, 'heartrate', 'hr');
    expect(refusedGroupLetter({ group, error: multiple }, origin).reason).toBe('multiple-values');
    expect(refusedGroupLetter({ group, error: new PatientGoneError('gone') }, origin).reason).toBe(
      'observation-refused-unprocessable',
    );
  });
});
