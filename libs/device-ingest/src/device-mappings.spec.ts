import { Test } from '@nestjs/testing';
import { parseJson, readMedTechFixture } from '../test-fixtures/fixture-files';
import {
  DeviceIngestModule,
  DeviceIngestService,
  FhirMappingError,
  MEDTECH_IDENTIFIER_SYSTEM,
} from './index';

describe(DeviceIngestService.name, () => {
  it('takes a wearable message through normalise, group and map to an hourly heart-rate Observation', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [DeviceIngestModule] }).compile();
    const sut = moduleRef
      .get(DeviceIngestService)
      .loadMappings(
        readMedTechFixture('basic_devicecontent.json'),
        readMedTechFixture('basic_fhirmapping.json'),
      );
    const grouper = sut.createGrouper({ maxGroupSize: 100, maxAgeMs: 60_000, maxBuffered: 1_000 });
    const message = {
      deviceid: 'watch-1',
      patientid: 'p-1',
      measurementdatetime: '2024-03-01T10:00:01Z',
      heartrate: '64',
    };

    sut.normalize(message).forEach((m) => grouper.add(m));
    const [group, ...others] = grouper.flushAll();
    const now = new Date('2024-03-01T10:01:00.000Z');
    const refs = { patientId: 'pat-1', deviceId: 'dev-1' };
    const { observation, changed } = sut.toObservation(group, refs, undefined, now);

    expect(others).toEqual([]);
    expect(changed).toBe(true);
    expect(observation.identifier).toEqual([
      { system: MEDTECH_IDENTIFIER_SYSTEM, value: 'pat-1.dev-1.heartrate.20240301100000Z.20240301105959Z' },
    ]);
    expect(observation.valueSampledData?.data?.split(' ').slice(0, 3)).toEqual(['E', '64', 'E']);
    expect(observation.issued).toBe('2024-03-01T10:01:00.000Z');
  });

  it('refuses a measurement type the FHIR mapping does not know', () => {
    const sut = new DeviceIngestService().loadMappings(
      readMedTechFixture('data_Documentation_CalculatedFunction_HeartRate_Template.json'),
      { templateType: 'CollectionFhir', template: [] },
    );
    const [measurement] = sut.normalize(
      parseJson(readMedTechFixture('data_Documentation_CalculatedFunction_HeartRate_Payload.json')),
    );
    expect(() => sut.periodOf(measurement.type)).toThrow(FhirMappingError);
    expect(() => sut.periodOf(measurement.type)).toThrow("Measurement type 'heartrate': no-fhir-template");
  });
});
