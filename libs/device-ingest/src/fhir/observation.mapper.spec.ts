import { instant } from '../../test-fixtures/instant';
import { readMedTechFixture } from '../../test-fixtures/fixture-files';
import { MeasurementGroupFactory } from '../../test-fixtures/measurement-group.factory';
import { MeasurementFactory } from '../../test-fixtures/measurement.factory';
import { FhirMappingError } from '../errors/fhir-mapping.error';
import { MEDTECH_IDENTIFIER_SYSTEM } from '../identity/observation-identity';
import { loadFhirTemplates } from '../templates/fhir/fhir-template.loader';
import { FhirValueType } from '../templates/fhir/fhir-template.types';
import { createObservation } from './observation.mapper';

const basic = loadFhirTemplates(readMedTechFixture('basic_fhirmapping.json'));
const quantity = loadFhirTemplates(readMedTechFixture('data_CodeValueFhirTemplate_Quantity.json'));
const references = { patientId: 'patient-1', deviceId: 'device-1' };
const ISSUED = new Date('2024-03-01T11:00:05.000Z');
const SLOTS_PER_HOUR = 3600;

function bloodPressure(at: string, systolic: string, diastolic: string) {
  return MeasurementFactory.create({
    type: 'bloodpressure',
    at,
    properties: [
      { name: 'systolic', value: systolic },
      { name: 'diastolic', value: diastolic },
    ],
  });
}

/** A device-worn event's group, at `at` alone (periodInterval 0). */
function deviceWornAt(at: string) {
  const worn = MeasurementFactory.create({
    type: 'deviceWorn',
    at,
    properties: [{ name: 'deviceWorn', value: 'true' }],
  });
  return MeasurementGroupFactory.create([worn], { start: instant(at), end: instant(at) });
}

describe(createObservation.name, () => {
  it('maps an hour of heart rates to one final Observation with SampledData, E for empty seconds', () => {
    const group = MeasurementGroupFactory.create([
      MeasurementFactory.create({ at: '2024-03-01T10:00:02.400Z', value: '72' }),
      MeasurementFactory.create({ at: '2024-03-01T10:00:00.000Z', value: '70' }),
    ]);

    const sut = createObservation({ template: basic.get('heartrate')!, group, references }, ISSUED);

    expect(sut).toEqual({
      resourceType: 'Observation',
      id: 'be7e2e28f4f759ab0c488f5fb26f23daad9b18dac109ea0c1f4eb079aefef4fa',
      identifier: [
        {
          system: MEDTECH_IDENTIFIER_SYSTEM,
          value: 'patient-1.device-1.heartrate.20240301100000Z.20240301105959Z',
        },
      ],
      status: 'final',
      code: {
        coding: [
          { system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' },
          { system: MEDTECH_IDENTIFIER_SYSTEM, code: 'heartrate', display: 'heartrate' },
        ],
        text: 'heartrate',
      },
      subject: { reference: 'Patient/patient-1' },
      effectivePeriod: { start: '2024-03-01T10:00:00.0000000Z', end: '2024-03-01T10:59:59.9999999Z' },
      issued: '2024-03-01T11:00:05.000Z',
      device: { reference: 'Device/device-1' },
      valueSampledData: {
        origin: { value: 0, unit: 'count/min' },
        period: 1000,
        dimensions: 1,
        data: ['70', 'E', '72', ...Array<string>(SLOTS_PER_HOUR - 3).fill('E')].join(' '),
      },
    });
  });

  it('maps blood pressure to components with Quantity values and links the encounter', () => {
    const group = MeasurementGroupFactory.create([bloodPressure('2024-03-01T10:20:00.000Z', '120', '80')]);

    const sut = createObservation(
      {
        template: quantity.get('bloodpressure')!,
        group,
        references: { ...references, encounterId: 'encounter-1' },
      },
      ISSUED,
    );

    expect(sut.encounter).toEqual({ reference: 'Encounter/encounter-1' });
    expect(sut.valueQuantity).toBeUndefined();
    expect(sut.component).toEqual([
      {
        code: {
          coding: [
            { system: 'http://loinc.org', code: '8867-4', display: 'Diastolic blood pressure' },
            { system: MEDTECH_IDENTIFIER_SYSTEM, code: 'diastolic', display: 'diastolic' },
          ],
          text: 'diastolic',
        },
        valueQuantity: { value: 80, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
      },
      {
        code: {
          coding: [
            { system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' },
            { system: MEDTECH_IDENTIFIER_SYSTEM, code: 'systolic', display: 'systolic' },
          ],
          text: 'systolic',
        },
        valueQuantity: { value: 120, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
      },
    ]);
  });

  it('refuses a second, different Quantity reading in one group instead of dropping one (MedTech: "Expected 1 value")', () => {
    const group = MeasurementGroupFactory.create([
      bloodPressure('2024-03-01T10:40:00.000Z', '130', '85'),
      bloodPressure('2024-03-01T10:20:00.000Z', '120', '80'),
    ]);
    const map = () =>
      createObservation({ template: quantity.get('bloodpressure')!, group, references }, ISSUED);
    expect(map).toThrow(
      expect.objectContaining({
        reason: 'multiple-values',
        message:
          "Measurement type 'bloodpressure' value 'diastolic': multiple-values (expected 1 value, received 2)",
      }),
    );
  });

  it('refuses two different String readings at one instant, and takes a redelivered copy as one reading', () => {
    const template = {
      ...basic.get('heartrate')!,
      value: { valueType: FhirValueType.String as const, valueName: 'hr' },
    };
    const at = '2024-03-01T10:20:00.000Z';
    const twice = MeasurementGroupFactory.create([
      MeasurementFactory.create({ at, value: 'sitting' }),
      MeasurementFactory.create({ at, value: 'sitting' }),
    ]);
    expect(createObservation({ template, group: twice, references }, ISSUED).valueString).toBe('sitting');

    const conflicting = MeasurementGroupFactory.create([
      MeasurementFactory.create({ at, value: 'sitting' }),
      MeasurementFactory.create({ at, value: 'standing' }),
    ]);
    expect(() => createObservation({ template, group: conflicting, references }, ISSUED)).toThrow(
      "Measurement type 'heartrate' value 'hr': multiple-values (expected 1 value, received 2)",
    );
  });

  it('rejects a Quantity reading that is not a number, naming the value but not the reading', () => {
    const group = MeasurementGroupFactory.create([bloodPressure('2024-03-01T10:20:00.000Z', 'high', '80')]);
    const map = () =>
      createObservation({ template: quantity.get('bloodpressure')!, group, references }, ISSUED);
    expect(map).toThrow(FhirMappingError);
    expect(map).toThrow("Measurement type 'bloodpressure' value 'systolic': invalid-quantity");
  });

  it('maps a device event to a CodeableConcept at a single instant', () => {
    const sut = createObservation(
      { template: basic.get('deviceWorn')!, group: deviceWornAt('2024-03-01T10:20:00.000Z'), references },
      ISSUED,
    );
    expect(sut.identifier?.[0].value).toBe('patient-1.device-1.deviceWorn.20240301102000Z.20240301102000Z');
    expect(sut.effectivePeriod).toEqual({
      start: '2024-03-01T10:20:00.0000000Z',
      end: '2024-03-01T10:20:00.0000000Z',
    });
    expect(sut.valueCodeableConcept).toEqual({
      coding: [{ system: 'https://www.mydevice.com/v1', code: 'deviceWorn', display: 'Device Worn' }],
      text: 'Device Worn',
    });
  });

  it('writes a single reading’s Observation at the device’s exact instant, as MedTech does', () => {
    const at = '2019-01-30T22:45:02.6073744Z';
    const sut = createObservation(
      { template: basic.get('deviceWorn')!, group: deviceWornAt(at), references },
      ISSUED,
    );
    expect(sut.effectivePeriod).toEqual({ start: at, end: at });
    expect(sut.identifier?.[0].value).toBe('patient-1.device-1.deviceWorn.20190130224502Z.20190130224502Z');
  });

  it('slots sub-millisecond readings by their exact offset from the period start', () => {
    const group = MeasurementGroupFactory.create([
      MeasurementFactory.create({ at: '2024-03-01T10:00:00.9999999Z', value: '70' }),
      MeasurementFactory.create({ at: '2024-03-01T10:00:01.0000001Z', value: '71' }),
    ]);
    const sut = createObservation({ template: basic.get('heartrate')!, group, references }, ISSUED);
    expect(sut.valueSampledData?.data?.split(' ').slice(0, 3)).toEqual(['70', '71', 'E']);
  });
});
