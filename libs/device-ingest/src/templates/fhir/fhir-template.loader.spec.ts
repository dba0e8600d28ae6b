import { readMedTechFixture } from '../../../test-fixtures/fixture-files';
import { TemplateLoadError } from '../../errors/template-load.error';
import { loadFhirTemplates } from './fhir-template.loader';

describe(loadFhirTemplates.name, () => {
  it('loads every CodeValueFhir template of basic_fhirmapping by type name', () => {
    const sut = loadFhirTemplates(readMedTechFixture('basic_fhirmapping.json'));
    expect([...sut.keys()]).toEqual([
      'heartrate',
      'steps',
      'hrv',
      'bloodpressure',
      'deviceWorn',
      'deviceRemoved',
    ]);
    expect(sut.get('heartrate')).toEqual({
      typeName: 'heartrate',
      codes: [{ code: '8867-4', system: 'http://loinc.org', display: 'Heart rate' }],
      category: [],
      periodInterval: 60,
      value: { valueType: 'SampledData', valueName: 'hr', defaultPeriod: 1000, unit: 'count/min' },
      components: [],
    });
    expect(sut.get('deviceWorn')?.value).toEqual({
      valueType: 'CodeableConcept',
      valueName: 'deviceWorn',
      text: 'Device Worn',
      codes: [{ code: 'deviceWorn', system: 'https://www.mydevice.com/v1', display: 'Device Worn' }],
    });
  });

  it('loads a single CodeValueFhir document with a lower-case valueType', () => {
    const sut = loadFhirTemplates(readMedTechFixture('data_CodeValueFhirTemplate_Quantity.json'));
    expect(sut.get('bloodpressure')?.components.map((c) => c.value)).toEqual([
      {
        valueType: 'Quantity',
        valueName: 'diastolic',
        unit: 'mmHg',
        code: 'mm[Hg]',
        system: 'http://unitsofmeasure.org',
      },
      {
        valueType: 'Quantity',
        valueName: 'systolic',
        unit: 'mmHg',
        code: 'mm[Hg]',
        system: 'http://unitsofmeasure.org',
      },
    ]);
  });

  it('accepts property names in any case and a Template suffix on templateType', () => {
    const sut = loadFhirTemplates({
      TEMPLATETYPE: 'CodeValueFhirTemplate',
      Template: {
        TypeName: 'spo2',
        Codes: [],
        PeriodInterval: 0,
        Value: { ValueType: 'string', ValueName: 'spo2' },
      },
    });
    expect(sut.get('spo2')).toEqual({
      typeName: 'spo2',
      codes: [],
      category: [],
      periodInterval: 0,
      value: { valueType: 'String', valueName: 'spo2' },
      components: [],
    });
  });

  it('rejects unknown properties, a bad period and a property of another value type, naming each place', () => {
    const load = () =>
      loadFhirTemplates({
        templateType: 'CollectionFhir',
        template: [
          {
            templateType: 'CodeValueFhir',
            template: {
              typeName: 'hr',
              codes: [],
              periodInterval: 30,
              colour: 'red',
              value: { valueType: 'Quantity', valueName: 'hr', defaultPeriod: 1000 },
            },
          },
        ],
      });
    expect(load).toThrow(TemplateLoadError);
    expect(load).toThrow(
      expect.objectContaining({
        issues: [
          { path: '$.template[0].template.colour', message: "is not a known property (template 'hr')" },
          {
            path: '$.template[0].template.periodInterval',
            message: "must be 0, 60, 1440 or -1 (template 'hr')",
          },
          {
            path: '$.template[0].template.value.defaultPeriod',
            message: "is not a property of a Quantity value (template 'hr')",
          },
        ],
      }),
    );
  });

  it('refuses a template or a component without codes, as MedTech does (an empty list is allowed)', () => {
    const load = () =>
      loadFhirTemplates({
        templateType: 'CodeValueFhir',
        template: {
          typeName: 'bp',
          components: [{ value: { valueType: 'Quantity', valueName: 'systolic' } }],
        },
      });
    expect(load).toThrow(
      expect.objectContaining({
        issues: [
          { path: '$.template.codes', message: 'is required' },
          { path: '$.template.components[0].codes', message: 'is required' },
        ],
      }),
    );
  });
});
