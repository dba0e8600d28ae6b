import { instant } from '../../test-fixtures/instant';
import { HEART_RATE_CONTENT } from '../../test-fixtures/device-template.fixture';
import { readOwnFixture } from '../../test-fixtures/fixture-files';
import { NormalizationError } from '../errors/normalization.error';
import { loadDeviceTemplates } from '../templates/device/device-template.loader';
import { DeviceNormalizer } from './device-normalizer';

function normalizerFor(fixture: string) {
  return new DeviceNormalizer(loadDeviceTemplates(readOwnFixture(`device-templates/${fixture}`)));
}

function normalizerOf(template: object) {
  return new DeviceNormalizer(loadDeviceTemplates({ templateType: 'JsonPathContent', template }));
}

const minimal = HEART_RATE_CONTENT;
const AT = '2024-03-01T10:00:00Z';

function failureOf(normalize: () => unknown): { reason: string; message: string } | undefined {
  try {
    normalize();
  } catch (error) {
    expect(error).toBeInstanceOf(NormalizationError);
    return { reason: (error as NormalizationError).reason, message: (error as Error).message };
  }
  return undefined;
}

describe(DeviceNormalizer.name, () => {
  describe('IotJsonPathContent', () => {
    const sut = normalizerFor('iot-hub-heart-rate.json');
    const message = (properties: object) => ({
      Body: { heartRate: 72, patientId: 'patient-7' },
      Properties: properties,
      SystemProperties: {
        'iothub-connection-device-id': 'hub-device-1',
        'iothub-enqueuedtime': '2024-03-01T10:00:05Z',
      },
    });

    it('takes the device from the IoT Hub system properties and the time from the creation time', () => {
      expect(sut.normalize(message({ 'iothub-creation-time-utc': '2024-03-01T09:59:58.123Z' }))).toEqual([
        {
          type: 'heartrate',
          deviceId: 'hub-device-1',
          patientId: 'patient-7',
          occurrenceTimeUtc: instant('2024-03-01T09:59:58.123Z'),
          properties: [{ name: 'hr', value: '72' }],
        },
      ]);
    });

    it('falls back to the enqueued time when the device sent no creation time', () => {
      expect(sut.normalize(message({}))[0].occurrenceTimeUtc).toEqual(instant('2024-03-01T10:00:05Z'));
    });
  });

  it('IotCentralJsonPathContent takes device and time from deviceId and enqueuedTime', () => {
    const sut = normalizerFor('iot-central-blood-pressure.json');
    const message = {
      applicationId: 'app-1',
      deviceId: 'central-cuff-3',
      enqueuedTime: '2024-03-01T08:30:00.000+01:00',
      telemetry: { systolic: 121, diastolic: 79 },
    };
    expect(sut.normalize(message)).toEqual([
      {
        type: 'bloodpressure',
        deviceId: 'central-cuff-3',
        occurrenceTimeUtc: instant('2024-03-01T07:30:00.000Z'),
        properties: [
          { name: 'systolic', value: '121' },
          { name: 'diastolic', value: '79' },
        ],
      },
    ]);
  });

  it('JsonPathContent yields one measurement per matched reading, in document order, reading each match', () => {
    const sut = normalizerFor('wearable-readings.json');
    const message = {
      readings: [
        {
          deviceId: 'w-1',
          patientId: 'p-1',
          encounterId: 'e-1',
          sessionId: 's-1',
          time: AT,
          heartRate: 0,
          spo2: 97,
        },
        {
          deviceId: 'w-1',
          patientId: 'p-1',
          sessionId: 's-1',
          time: '2024-03-01T10:00:01Z',
          heartRate: 61,
          spo2: null,
        },
      ],
    };
    expect(sut.normalize(message)).toEqual([
      {
        type: 'heartrate',
        deviceId: 'w-1',
        patientId: 'p-1',
        encounterId: 'e-1',
        correlationId: 's-1',
        occurrenceTimeUtc: instant(AT),
        properties: [
          { name: 'hr', value: '0' },
          { name: 'spo2', value: '97' },
        ],
      },
      {
        type: 'heartrate',
        deviceId: 'w-1',
        patientId: 'p-1',
        correlationId: 's-1',
        occurrenceTimeUtc: instant('2024-03-01T10:00:01Z'),
        properties: [{ name: 'hr', value: '61' }],
      },
    ]);
  });

  it('tests the root as well as its descendants, parents before children (Newtonsoft $..)', () => {
    const sut = normalizerOf(minimal);
    const message = { device: 'd-root', at: AT, hr: 50, nested: { device: 'd-child', at: AT, hr: 51 } };
    expect(sut.normalize(message).map((m) => m.deviceId)).toEqual(['d-root', 'd-child']);
  });

  it('reads property names and template types in any case, with a Template suffix', () => {
    const sut = normalizerFor('mixed-case.json');
    expect(sut.normalize({ device: 'pedometer', at: AT, steps: 12 })).toEqual([
      {
        type: 'steps',
        deviceId: 'pedometer',
        occurrenceTimeUtc: instant(AT),
        properties: [{ name: 'steps', value: '12' }],
      },
    ]);
  });

  it('loads a template file that starts with a UTF-8 byte-order mark', () => {
    const withBom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(readOwnFixture('device-templates/temperature.json')),
    ]);
    const sut = new DeviceNormalizer(loadDeviceTemplates(withBom));
    expect(sut.normalize({ device: 'thermo', at: AT, celsius: 37.2 })[0].properties).toEqual([
      { name: 'c', value: '37.2' },
    ]);
  });

  it('CalculatedContent runs JMESPath with the MedTech functions against the message plus matchedToken', () => {
    const sut = normalizerFor('calculated-jmespath.json');
    const message = {
      Body: [{ device: 'scale-1', epoch: 1709287200, weightLb: 154, label: 'morning' }, { note: 'x' }],
    };
    expect(sut.normalize(message)).toEqual([
      {
        type: 'bodyweight',
        deviceId: 'scale-1',
        occurrenceTimeUtc: instant('2024-03-01T10:00:00.000Z'),
        properties: [
          { name: 'kg', value: String(154 / 2.2) },
          { name: 'label', value: 'morning' },
        ],
      },
    ]);
  });

  it("reads $.['My Property'] as the top-level member only, not its copies deeper in the message", () => {
    const sut = normalizerOf({
      ...minimal,
      values: [{ valueName: 'hr', valueExpression: "$.['Heart Rate']" }],
    });
    const message = { device: 'd', at: AT, hr: 1, 'Heart Rate': 61, detail: { 'Heart Rate': 99 } };
    expect(sut.normalize(message)).toEqual([
      {
        type: 'heartrate',
        deviceId: 'd',
        occurrenceTimeUtc: instant(AT),
        properties: [{ name: 'hr', value: '61' }],
      },
    ]);
  });

  it('keeps the correlation id a template declares', () => {
    const sut = normalizerOf({ ...minimal, correlationIdExpression: '$.session' });
    expect(sut.normalize({ device: 'd', at: AT, hr: 60, session: 's-1' })[0].correlationId).toBe('s-1');
  });

  describe('CalculatedContent in JMESPath', () => {
    const calculated = (template: object) =>
      new DeviceNormalizer(
        loadDeviceTemplates({
          templateType: 'CalculatedContent',
          template: {
            typeName: 'strip',
            defaultExpressionLanguage: 'JmesPath',
            deviceIdExpression: 'device',
            timestampExpression: 'at',
            ...template,
          },
        }),
      );
    const message = { device: 'd', at: AT, samples: [60, 61], readings: [{ hr: 60 }, { hr: 61 }] };

    it('takes a match that is a plain array as one measurement, and a projection as one per element', () => {
      const count = [{ valueName: 'n', valueExpression: 'length(matchedToken)', required: true }];
      expect(calculated({ typeMatchExpression: 'samples', values: count }).normalize(message)).toEqual([
        {
          type: 'strip',
          deviceId: 'd',
          occurrenceTimeUtc: instant(AT),
          properties: [{ name: 'n', value: '2' }],
        },
      ]);
      const hr = [{ valueName: 'hr', valueExpression: 'matchedToken.hr', required: true }];
      const perReading = calculated({ typeMatchExpression: 'readings[*]', values: hr }).normalize(message);
      expect(perReading.map((m) => m.properties)).toEqual([
        [{ name: 'hr', value: '60' }],
        [{ name: 'hr', value: '61' }],
      ]);
    });

    it('fails a single value that selects several tokens, as MedTech does ("Multiple tokens")', () => {
      const hr = [{ valueName: 'hr', valueExpression: 'readings[*].hr', required: true }];
      const sut = calculated({ typeMatchExpression: 'samples', values: hr });
      expect(failureOf(() => sut.normalize(message))).toEqual({
        reason: 'ambiguous-expression',
        message: "Template 'strip': $.template.values[0].valueExpression: ambiguous-expression",
      });
    });
  });

  it('yields no measurement, and no error, for a message no template matches', () => {
    expect(normalizerFor('iot-hub-heart-rate.json').normalize({ Body: { steps: 3 } })).toEqual([]);
  });

  describe('failures', () => {
    const sut = normalizerOf(minimal);

    it.each([
      ['missing', { device: 'd', at: AT }],
      ['null', { device: 'd', at: AT, hr: null }],
      ['blank', { device: 'd', at: AT, hr: '  ' }],
    ])('fails the whole message when a required value is %s', (_, message) => {
      const sut = normalizerOf({ ...minimal, typeMatchExpression: '$..[?(@device)]' });
      expect(failureOf(() => sut.normalize(message))).toEqual({
        reason: 'missing-required-value',
        message: "Template 'heartrate': $.template.values[0].valueExpression: missing-required-value",
      });
    });

    it('fails when the device id is missing', () => {
      expect(failureOf(() => sut.normalize({ at: AT, hr: 60 }))?.reason).toBe('missing-required-value');
    });

    it.each([
      ['missing', {}],
      ['blank', { session: ' ' }],
    ])('fails the message when a declared correlation id is %s, as MedTech does', (_, extra) => {
      const correlated = normalizerOf({ ...minimal, correlationIdExpression: '$.session' });
      expect(failureOf(() => correlated.normalize({ device: 'd', at: AT, hr: 60, ...extra }))).toEqual({
        reason: 'missing-required-value',
        message: "Template 'heartrate': $.template.correlationIdExpression: missing-required-value",
      });
    });

    it('does not take a number for a timestamp', () => {
      expect(failureOf(() => sut.normalize({ device: 'd', at: 1709287200, hr: 60 }))).toEqual({
        reason: 'invalid-timestamp',
        message: "Template 'heartrate': $.template.timestampExpression: invalid-timestamp",
      });
    });

    it('rejects an impossible date', () => {
      expect(
        failureOf(() => sut.normalize({ device: 'd', at: '2024-02-30T10:00:00Z', hr: 60 }))?.reason,
      ).toBe('invalid-timestamp');
    });

    it('fails when a single-value expression selects several tokens', () => {
      const several = normalizerOf({ ...minimal, deviceIdExpression: '$.devices[*]' });
      expect(failureOf(() => several.normalize({ devices: ['a', 'b'], at: AT, hr: 60 }))).toEqual({
        reason: 'ambiguous-expression',
        message: "Template 'heartrate': $.template.deviceIdExpression: ambiguous-expression",
      });
    });

    it('reports a JMESPath function given the wrong type as an expression error, without the data', () => {
      const sut = normalizerFor('calculated-jmespath.json');
      const failure = failureOf(() =>
        sut.normalize({ Body: [{ device: 's', epoch: 1, weightLb: 'heavy' }] }),
      );
      expect(failure).toEqual({
        reason: 'expression-error',
        message: "Template 'bodyweight': $.template[0].template.values[0].valueExpression: expression-error",
      });
    });
  });
});
