import { readMedTechFixture } from '../../test-fixtures/fixture-files';
import { loadDeviceTemplates } from './device/device-template.loader';
import { loadFhirTemplates } from './fhir/fhir-template.loader';
import { mappingWarnings } from './mapping-compatibility';

const deviceTemplates = loadDeviceTemplates(readMedTechFixture('basic_devicecontent.json'));
const fhirTemplates = loadFhirTemplates(readMedTechFixture('basic_fhirmapping.json'));

describe(mappingWarnings.name, () => {
  it('finds nothing to say about MedTech’s own sample pair of documents', () => {
    expect(mappingWarnings(deviceTemplates, fhirTemplates)).toEqual([]);
  });

  it('warns of a value name no FHIR value takes and of a type no FHIR template maps, as MedTech’s validator does', () => {
    const heartRate = fhirTemplates.get('heartrate')!;
    const renamed = { ...heartRate, value: { ...heartRate.value!, valueName: 'heartRate' } };
    const fhir = new Map([['heartrate', renamed]]);
    const [heartRateDevice, stepsDevice] = deviceTemplates;

    expect(mappingWarnings([heartRateDevice, stepsDevice], fhir)).toEqual([
      {
        path: '$.template[0].template.values[0].valueName',
        message:
          'The value [hr] is not represented within the FHIR template of type [heartrate]. Available values are: [heartRate]. No value will appear inside of Observations.',
      },
      {
        path: '$.template[1].template.typeName',
        message: 'No FHIR template maps the type [steps]. Available FHIR templates: [heartrate].',
      },
    ]);
  });
});
