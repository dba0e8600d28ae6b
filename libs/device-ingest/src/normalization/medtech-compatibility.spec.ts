import { instant } from '../../test-fixtures/instant';
import { parseJson, readMedTechFixture } from '../../test-fixtures/fixture-files';
import { loadDeviceTemplates } from '../templates/device/device-template.loader';
import { DeviceNormalizer } from './device-normalizer';

function normalizeFixture(name: string) {
  const sut = new DeviceNormalizer(
    loadDeviceTemplates(readMedTechFixture(`data_Documentation_CalculatedFunction_${name}_Template.json`)),
  );
  return sut.normalize(
    parseJson(readMedTechFixture(`data_Documentation_CalculatedFunction_${name}_Payload.json`)),
  );
}

describe('MedTech sample templates and payloads', () => {
  it('HeartRate yields one heart-rate measurement from the matched body', () => {
    expect(normalizeFixture('HeartRate')).toEqual([
      {
        type: 'heartrate',
        deviceId: 'device123',
        occurrenceTimeUtc: instant('2019-02-01T22:46:01.875Z'),
        properties: [{ name: 'hr', value: '78' }],
      },
    ]);
  });

  it('BloodPressure yields systolic and diastolic in one measurement', () => {
    expect(normalizeFixture('BloodPressure')).toEqual([
      {
        type: 'bloodpressure',
        deviceId: 'device123',
        occurrenceTimeUtc: instant('2019-02-01T22:46:01.875Z'),
        properties: [
          { name: 'systolic', value: '123' },
          { name: 'diastolic', value: '87' },
        ],
      },
    ]);
  });

  it('MultipleMatches yields one measurement per matched reading, device read from the message', () => {
    expect(normalizeFixture('MultipleMatches')).toEqual([
      {
        type: 'heartrate',
        deviceId: 'device123',
        occurrenceTimeUtc: instant('2021-07-13T17:29:01.061144Z'),
        properties: [
          { name: 'systolic', value: '120' },
          { name: 'diastolic', value: '80' },
        ],
      },
      {
        type: 'heartrate',
        deviceId: 'device123',
        occurrenceTimeUtc: instant('2021-07-13T17:28:01.061122Z'),
        properties: [
          { name: 'systolic', value: '122' },
          { name: 'diastolic', value: '82' },
        ],
      },
    ]);
  });

  it('MultipleMeasurements yields heart rate then step count from one message', () => {
    const time = instant('2019-02-01T22:46:01.875Z');
    expect(normalizeFixture('MultipleMeasurements')).toEqual([
      {
        type: 'heartrate',
        deviceId: 'device123',
        occurrenceTimeUtc: time,
        properties: [{ name: 'hr', value: '78' }],
      },
      {
        type: 'stepcount',
        deviceId: 'device123',
        occurrenceTimeUtc: time,
        properties: [{ name: 'steps', value: '2' }],
      },
    ]);
  });

  it('TransformData converts inches to metres with the JMESPath multiply function', () => {
    const [inches, metres, ...rest] = normalizeFixture('TransformData');
    expect(rest).toEqual([]);
    expect(inches).toEqual({
      type: 'heightInMeters',
      deviceId: 'device123',
      occurrenceTimeUtc: instant('2019-02-01T22:46:01.875Z'),
      properties: [{ name: 'height', value: String(78 * 0.0254) }],
    });
    expect(Number(inches.properties[0].value)).toBeCloseTo(1.9812, 10);
    expect(metres).toEqual({
      type: 'heightInMeters',
      deviceId: 'device123',
      occurrenceTimeUtc: instant('2019-02-01T23:46:01.875Z'),
      properties: [{ name: 'height', value: '1.9304' }],
    });
  });

  it('basic_devicecontent loads its six JsonPathContent templates', () => {
    const templates = loadDeviceTemplates(readMedTechFixture('basic_devicecontent.json'));
    expect(templates.map((t) => [t.templateType, t.typeName])).toEqual([
      ['JsonPathContent', 'heartrate'],
      ['JsonPathContent', 'steps'],
      ['JsonPathContent', 'bloodpressure'],
      ['JsonPathContent', 'hrv'],
      ['JsonPathContent', 'deviceWorn'],
      ['JsonPathContent', 'deviceRemoved'],
    ]);
  });
});
