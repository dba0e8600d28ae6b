import { instant } from '../../test-fixtures/instant';
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
const ISSUED = new Date('2024-03-01T11:00:05.000Z');
const CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';

function slots(data: string | undefined, count: number): string[] {
  return (data ?? '').split(' ').slice(0, count);
}

describe(mergeObservation.name, () => {
  const first = MeasurementFactory.create({ at: '2024-03-01T10:00:00.000Z', value: '70' });
  const existing = createObservation(
    {
      template: heartRate,
      group: MeasurementGroupFactory.create([first]),
      references,
    },
    ISSUED,
  );

  it('reports no change and keeps the Observation final when a duplicate delivery arrives', () => {
    const sut = mergeObservation(existing, {
      template: heartRate,
      group: MeasurementGroupFactory.create([first]),
      references,
    });
    expect(sut).toEqual({ observation: existing, changed: false });
    expect(sut.observation.status).toBe('final');
  });

  it('reports no change for a redelivered reading with sub-millisecond time, the period ends read to the tick', () => {
    const precise = MeasurementFactory.create({ at: '2024-03-01T10:00:02.6073744Z', value: '72' });
    const stored = createObservation(
      { template: heartRate, group: MeasurementGroupFactory.create([precise]), references },
      ISSUED,
    );
    expect(stored.effectivePeriod).toEqual({
      start: '2024-03-01T10:00:00.0000000Z',
      end: '2024-03-01T10:59:59.9999999Z',
    });

    const sut = mergeObservation(stored, {
      template: heartRate,
      group: MeasurementGroupFactory.create([precise]),
      references,
    });
    expect(sut).toEqual({ observation: stored, changed: false });
  });

  it('widens a period written with millisecond ends (before MedTech’s ticks) to the hour’s last tick', () => {
    const older = {
      ...existing,
      effectivePeriod: { start: '2024-03-01T10:00:00.000Z', end: '2024-03-01T10:59:59.999Z' },
    };
    const sut = mergeObservation(older, {
      template: heartRate,
      group: MeasurementGroupFactory.create([first]),
      references,
    });
    expect(sut.observation.effectivePeriod).toEqual({
      start: '2024-03-01T10:00:00.0000000Z',
      end: '2024-03-01T10:59:59.9999999Z',
    });
    expect(sut.observation.valueSampledData).toEqual(existing.valueSampledData);
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
    const at = (time: string) => ({ start: instant(time), end: instant(time), correlationId: 'session-1' });
    const stored = createObservation(
      {
        template,
        group: MeasurementGroupFactory.create(
          [MeasurementFactory.create({ at: '2024-03-01T10:00:02.000Z', value: '70' })],
          at('2024-03-01T10:00:02.000Z'),
        ),
        references,
      },
      ISSUED,
    );
    const earlier = MeasurementFactory.create({ at: '2024-03-01T10:00:00.000Z', value: '68' });

    const sut = mergeObservation(stored, {
      template,
      group: MeasurementGroupFactory.create([earlier], at('2024-03-01T10:00:00.000Z')),
      references,
    });

    expect(sut.observation.effectivePeriod).toEqual({
      start: '2024-03-01T10:00:00.0000000Z',
      end: '2024-03-01T10:00:02.0000000Z',
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

  it('refuses a different String value for a stored Observation rather than replace (and lose) the stored one', () => {
    const template = { ...heartRate, value: { valueType: FhirValueType.String as const, valueName: 'hr' } };
    const stored = createObservation(
      { template, group: MeasurementGroupFactory.create([first]), references },
      ISSUED,
    );
    const merge = (value: string) =>
      mergeObservation(stored, {
        template,
        group: MeasurementGroupFactory.create([
          MeasurementFactory.create({ at: '2024-03-01T10:30:00.000Z', value }),
        ]),
        references,
      });

    expect(() => merge('90')).toThrow(
      expect.objectContaining({ reason: 'multiple-values', typeName: 'heartrate', valueName: 'hr' }),
    );
    expect(merge('70')).toEqual({ observation: stored, changed: false });
  });

  it('drops the categories the template no longer has, as MedTech’s merge does, and keeps issued', () => {
    const categorised = {
      ...heartRate,
      category: [{ text: 'vital-signs', codes: [{ code: 'vital-signs', system: CATEGORY_SYSTEM }] }],
    };
    const stored = createObservation(
      { template: categorised, group: MeasurementGroupFactory.create([first]), references },
      ISSUED,
    );
    expect(stored.category).toEqual([
      { coding: [{ code: 'vital-signs', system: CATEGORY_SYSTEM }], text: 'vital-signs' },
    ]);

    const sut = mergeObservation(stored, {
      template: heartRate,
      group: MeasurementGroupFactory.create([first]),
      references,
    });

    expect(sut.changed).toBe(true);
    expect(sut.observation.category).toBeUndefined();
    expect(sut.observation.issued).toBe('2024-03-01T11:00:05.000Z');
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
  const stored = createObservation(
    {
      template: bloodPressure,
      group: group('2024-03-01T10:20:00Z', '120', '80'),
      references,
    },
    ISSUED,
  );

  it('refuses a component value that differs from the stored one, and adds a component the stored one lacks', () => {
    const refused = () =>
      mergeObservation(stored, {
        template: bloodPressure,
        group: group('2024-03-01T10:40:00Z', '131', '86'),
        references,
      });
    expect(refused).toThrow(
      "Measurement type 'bloodpressure' value 'diastolic': multiple-values (expected 1 value, received 2)",
    );

    const systolicOnly = createObservation(
      {
        template: bloodPressure,
        group: MeasurementGroupFactory.create([
          MeasurementFactory.create({
            type: 'bloodpressure',
            at: '2024-03-01T10:20:00Z',
            properties: [{ name: 'systolic', value: '120' }],
          }),
        ]),
        references,
      },
      ISSUED,
    );
    const sut = mergeObservation(systolicOnly, {
      template: bloodPressure,
      group: group('2024-03-01T10:20:00Z', '120', '80'),
      references,
    });
    expect(sut.observation.component?.map((c) => [c.code.text, c.valueQuantity?.value])).toEqual([
      ['systolic', 120],
      ['diastolic', 80],
    ]);
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
