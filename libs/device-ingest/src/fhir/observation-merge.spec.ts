import { readMedTechFixture } from '../../test-fixtures/fixture-files';
import { MeasurementGroupFactory } from '../../test-fixtures/measurement-group.factory';
import { MeasurementFactory } from '../../test-fixtures/measurement.factory';
import { PeriodInterval } from '../grouping/period-interval';
import { loadFhirTemplates } from '../templates/fhir/fhir-template.loader';
import { FhirValueType } from '../templates/fhir/fhir-template.types';
import { mergeObservation } from './observation-merge';
import { createObservation } from './observation.mapper';

const heartRate = loadFhirTemplates(readMedTechFixture('basic_fhirmapping.json')).get('heartrate')!;
const references = { patientId: 'patient-1', deviceId: 'device-1' };

function slots(data: string | undefined, count: number): string[] {
  return (data ?? '').split(' ').slice(0, count);
}

describe(mergeObservation.name, () => {
  const first = MeasurementFactory.create({ at: '2024-03-01T10:00:00.000Z', value: '70' });
  const existing = createObservation({
    template: heartRate,
    group: MeasurementGroupFactory.create([first]),
    references,
  });

  it('reports no change and keeps the Observation final when a duplicate delivery arrives', () => {
    const sut = mergeObservation(existing, {
      template: heartRate,
      group: MeasurementGroupFactory.create([first]),
      references,
    });
    expect(sut).toEqual({ observation: existing, changed: false });
    expect(sut.observation.status).toBe('final');
  });

  it('slots a late, out-of-order reading into its second and amends the Observation', () => {
    const late = MeasurementFactory.create({ at: '2024-03-01T10:00:02.000Z', value: '75' });
    const sut = mergeObservation(existing, {
      template: heartRate,
      group: MeasurementGroupFactory.create([late]),
      references,
    });

    expect(sut.changed).toBe(true);
    expect(sut.observation.status).toBe('amended');
    expect(slots(sut.observation.valueSampledData?.data, 4)).toEqual(['70', 'E', '75', 'E']);
    expect(sut.observation.id).toBe(existing.id);
    expect(slots(existing.valueSampledData?.data, 3)).toEqual(['70', 'E', 'E']);
  });

  it('lets the newer reading win a slot that already holds one', () => {
    const correction = MeasurementFactory.create({ at: '2024-03-01T10:00:00.500Z', value: '71' });
    const sut = mergeObservation(existing, {
      template: heartRate,
      group: MeasurementGroupFactory.create([correction]),
      references,
    });
    expect(slots(sut.observation.valueSampledData?.data, 2)).toEqual(['71', 'E']);
  });

  it('widens the period of a correlation Observation and re-encodes its samples from the new start', () => {
    const template = { ...heartRate, periodInterval: PeriodInterval.Correlation };
    const at = (time: string) => ({ start: new Date(time), end: new Date(time), correlationId: 'session-1' });
    const stored = createObservation({
      template,
      group: MeasurementGroupFactory.create(
        [MeasurementFactory.create({ at: '2024-03-01T10:00:02.000Z', value: '70' })],
        at('2024-03-01T10:00:02.000Z'),
      ),
      references,
    });
    const earlier = MeasurementFactory.create({ at: '2024-03-01T10:00:00.000Z', value: '68' });

    const sut = mergeObservation(stored, {
      template,
      group: MeasurementGroupFactory.create([earlier], at('2024-03-01T10:00:00.000Z')),
      references,
    });

    expect(sut.observation.effectivePeriod).toEqual({
      start: '2024-03-01T10:00:00.000Z',
      end: '2024-03-01T10:00:02.000Z',
    });
    expect(sut.observation.valueSampledData?.data).toBe('68 E 70');
  });

  it('reads the existing samples from effectiveDateTime when the stored Observation has no period', () => {
    const { effectivePeriod, ...rest } = existing;
    const instant = { ...rest, effectiveDateTime: effectivePeriod?.start };
    const late = MeasurementFactory.create({ at: '2024-03-01T10:00:01.000Z', value: '72' });

    const sut = mergeObservation(instant, {
      template: heartRate,
      group: MeasurementGroupFactory.create([late]),
      references,
    });

    expect(slots(sut.observation.valueSampledData?.data, 3)).toEqual(['70', '72', 'E']);
    expect(sut.observation.effectiveDateTime).toBeUndefined();
    expect(sut.observation.effectivePeriod).toEqual(existing.effectivePeriod);
  });

  it('replaces a String value with the newer reading', () => {
    const template = { ...heartRate, value: { valueType: FhirValueType.String as const, valueName: 'hr' } };
    const stored = createObservation({
      template,
      group: MeasurementGroupFactory.create([first]),
      references,
    });
    const newer = MeasurementFactory.create({ at: '2024-03-01T10:30:00.000Z', value: '90' });

    const sut = mergeObservation(stored, {
      template,
      group: MeasurementGroupFactory.create([newer]),
      references,
    });

    expect([sut.changed, sut.observation.status, sut.observation.valueString]).toEqual([
      true,
      'amended',
      '90',
    ]);
  });
});

describe('mergeObservation with components', () => {
  const bloodPressure = loadFhirTemplates(readMedTechFixture('data_CodeValueFhirTemplate_Quantity.json')).get(
    'bloodpressure',
  )!;
  const reading = (at: string, systolic: string, diastolic: string) =>
    MeasurementFactory.create({
      type: 'bloodpressure',
      at,
      properties: [
        { name: 'systolic', value: systolic },
        { name: 'diastolic', value: diastolic },
      ],
    });
  const group = (at: string, systolic: string, diastolic: string) =>
    MeasurementGroupFactory.create([reading(at, systolic, diastolic)]);
  const stored = createObservation({
    template: bloodPressure,
    group: group('2024-03-01T10:20:00Z', '120', '80'),
    references,
  });

  it('replaces each component value with the newer reading, keeping component order', () => {
    const sut = mergeObservation(stored, {
      template: bloodPressure,
      group: group('2024-03-01T10:40:00Z', '131', '86'),
      references,
    });
    expect(sut.changed).toBe(true);
    expect(sut.observation.component?.map((c) => [c.code.text, c.valueQuantity?.value])).toEqual([
      ['diastolic', 86],
      ['systolic', 131],
    ]);
    expect(stored.component?.map((c) => c.valueQuantity?.value)).toEqual([80, 120]);
  });

  it('reports no change when the same reading arrives again', () => {
    const sut = mergeObservation(stored, {
      template: bloodPressure,
      group: group('2024-03-01T10:20:00Z', '120', '80'),
      references,
    });
    expect(sut).toEqual({ observation: stored, changed: false });
  });
});
