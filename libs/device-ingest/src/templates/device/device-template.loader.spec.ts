import { HEART_RATE_CONTENT } from '../../../test-fixtures/device-template.fixture';
import { readOwnFixture } from '../../../test-fixtures/fixture-files';
import { TemplateLoadError } from '../../errors/template-load.error';
import { loadDeviceTemplates } from './device-template.loader';
import { CollectionContent } from './device-template.types';

function issuesOf(source: string | object) {
  try {
    loadDeviceTemplates(source);
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateLoadError);
    return (error as TemplateLoadError).issues;
  }
  throw new Error('the template loaded');
}

const valid = HEART_RATE_CONTENT;

describe(loadDeviceTemplates.name, () => {
  it('rejects an unknown property, naming its place in the document', () => {
    const source = {
      templateType: 'CollectionContent',
      template: [
        { templateType: 'JsonPathContent', template: valid },
        { templateType: 'JsonPathContent', template: { ...valid, typeName: 'spo2', colour: 'red' } },
      ],
    };
    expect(issuesOf(source)).toEqual([
      { path: '$.template[1].template.colour', message: "is not a known property (template 'spo2')" },
    ]);
  });

  it('lists every problem: missing fields, a bad type, a bad expression, a bad flag', () => {
    const source = {
      templateType: 'CollectionContent',
      template: [
        { templateType: 'JsonPathContent', template: { typeName: 'hr', typeMatchExpression: '$..[?(@hr' } },
        { templateType: 'XmlContent', template: valid },
        {
          templateType: 'JsonPathContent',
          template: {
            ...valid,
            values: [{ valueName: 'hr', valueExpression: '$.hr', required: 'sometimes' }],
          },
        },
      ],
    };
    expect(issuesOf(source)).toEqual([
      {
        path: '$.template[0].template.typeMatchExpression',
        message: "is not a valid JsonPath expression (template 'hr')",
      },
      { path: '$.template[0].template.deviceIdExpression', message: "is required (template 'hr')" },
      { path: '$.template[0].template.timestampExpression', message: "is required (template 'hr')" },
      {
        path: '$.template[1].templateType',
        message:
          'must be one of JsonPathContent, IotJsonPathContent, IotCentralJsonPathContent, CalculatedContent',
      },
      {
        path: '$.template[2].template.values[0].required',
        message: "must be true or false (template 'heartrate')",
      },
    ]);
  });

  it('allows {value, language} expressions only in CalculatedContent', () => {
    const jmes = { value: 'hr', language: 'JmesPath' };
    expect(
      issuesOf({ templateType: 'JsonPathContent', template: { ...valid, deviceIdExpression: jmes } }),
    ).toEqual([{ path: '$.template.deviceIdExpression', message: 'must be a non-empty expression' }]);
    expect(
      loadDeviceTemplates({
        templateType: 'CalculatedContent',
        template: { ...valid, deviceIdExpression: jmes },
      }),
    ).toHaveLength(1);
  });

  it('rejects an invalid JMESPath expression and an unknown language', () => {
    const source = {
      templateType: 'CalculatedContent',
      template: {
        ...valid,
        deviceIdExpression: { value: 'device[', language: 'JmesPath' },
        timestampExpression: { value: '$.at', language: 'XPath' },
      },
    };
    expect(issuesOf(source)).toEqual([
      { path: '$.template.deviceIdExpression', message: 'is not a valid JmesPath expression' },
      { path: '$.template.timestampExpression.language', message: 'must be JsonPath or JmesPath' },
    ]);
  });

  it('refuses JMESPath calls with the wrong number of arguments at load, as MedTech does', () => {
    const source = JSON.parse(
      readOwnFixture('device-templates/calculated-jmespath.json'),
    ) as CollectionContent;
    source.template[0].template.values = [
      { valueName: 'kg', valueExpression: 'add()', required: true },
      { valueName: 'sorted', valueExpression: 'sort(matchedToken.a, matchedToken.b)' },
    ];
    expect(issuesOf(source)).toEqual([
      {
        path: '$.template[0].template.values[0].valueExpression',
        message: "is not a valid JmesPath expression (template 'bodyweight')",
      },
      {
        path: '$.template[0].template.values[1].valueExpression',
        message: "is not a valid JmesPath expression (template 'bodyweight')",
      },
    ]);
  });

  it('rejects text that is not JSON without quoting it', () => {
    expect(issuesOf('{"templateType": ')).toEqual([{ path: '$', message: 'is not valid JSON' }]);
  });

  it('does not require device and time expressions of the IoT templates, which know where they are', () => {
    const iot = {
      typeName: valid.typeName,
      typeMatchExpression: valid.typeMatchExpression,
      values: valid.values,
    };
    const [sut] = loadDeviceTemplates({ templateType: 'IotJsonPathContentTemplate', template: iot });
    expect([sut.templateType, sut.deviceId.length, sut.timestamp.length]).toEqual([
      'IotJsonPathContent',
      1,
      2,
    ]);
  });
});
