import { CompiledExpression, ExpressionLanguage } from '../../expressions/expression';
import { compileJmesPath } from '../../expressions/jmespath';
import { compileJsonPath } from '../../expressions/jsonpath';
import { parseTemplateDocument, TemplateReader, typeNameOf } from '../template-reader';
import { CompiledDeviceTemplate, DeviceTemplateType, LocatedExpression } from './device-template.types';

type ContentType = CompiledDeviceTemplate['templateType'];

const CONTENT_TYPES: readonly ContentType[] = [
  DeviceTemplateType.JsonPath,
  DeviceTemplateType.IotJsonPath,
  DeviceTemplateType.IotCentralJsonPath,
  DeviceTemplateType.Calculated,
];
const EXPRESSION_FIELDS = [
  'typeMatchExpression',
  'deviceIdExpression',
  'patientIdExpression',
  'encounterIdExpression',
  'correlationIdExpression',
  'timestampExpression',
] as const;
const BODY_FIELDS = ['typeName', ...EXPRESSION_FIELDS, 'values'];

// Where the IoT wrappers keep the device and the time; a template's own expressions override them.
const IMPLIED_EXPRESSIONS: Partial<Record<ContentType, { deviceId: string[]; timestamp: string[] }>> = {
  [DeviceTemplateType.IotJsonPath]: {
    deviceId: ['$.SystemProperties.iothub-connection-device-id'],
    timestamp: ['$.Properties.iothub-creation-time-utc', '$.SystemProperties.iothub-enqueuedtime'],
  },
  [DeviceTemplateType.IotCentralJsonPath]: { deviceId: ['$.deviceId'], timestamp: ['$.enqueuedTime'] },
};

/**
 * Loads a MedTech device mapping document (`CollectionContent`, or one content template) and compiles every
 * expression once. Throws TemplateLoadError listing every problem with its path in the document.
 */
export function loadDeviceTemplates(source: string | Buffer | object): CompiledDeviceTemplate[] {
  const reader = new TemplateReader();
  const root = reader.object(parseTemplateDocument(source, 'device'), '$', ['templateType', 'template']);
  let templates: CompiledDeviceTemplate[] = [];
  if (root) {
    const type = reader.templateType(root, '$', [DeviceTemplateType.Collection, ...CONTENT_TYPES]);
    if (type === DeviceTemplateType.Collection) {
      templates = reader
        .array(root, 'template', '$', true)
        .map((entry, index) => readEntry(reader, entry, `$.template[${index}]`))
        .filter((template) => template !== undefined);
    } else if (type !== undefined) {
      templates = [readContent(reader, type, root.template, '$.template')].filter((t) => t !== undefined);
    }
  }
  reader.throwIfInvalid('device');
  return templates;
}

function readEntry(reader: TemplateReader, entry: unknown, path: string): CompiledDeviceTemplate | undefined {
  const node = reader.object(entry, path, ['templateType', 'template']);
  const type = node && reader.templateType(node, path, CONTENT_TYPES);
  if (!node || !type) return undefined;
  return reader.within(typeNameOf(node.template), () =>
    readContent(reader, type, node.template, `${path}.template`),
  );
}

function readContent(
  reader: TemplateReader,
  type: ContentType,
  body: unknown,
  path: string,
): CompiledDeviceTemplate | undefined {
  const calculated = type === DeviceTemplateType.Calculated;
  const node = reader.object(
    body,
    path,
    calculated ? [...BODY_FIELDS, 'defaultExpressionLanguage'] : BODY_FIELDS,
  );
  if (!node) return undefined;
  const language = calculated
    ? readLanguage(reader, node.defaultExpressionLanguage, `${path}.defaultExpressionLanguage`)
    : undefined;
  const compileField = (name: (typeof EXPRESSION_FIELDS)[number], required: boolean) =>
    compileExpression(reader, node[name], `${path}.${name}`, required, calculated ? language : undefined);
  const implied = IMPLIED_EXPRESSIONS[type];
  const typeName = reader.string(node, 'typeName', path, true);
  const typeMatch = compileField('typeMatchExpression', true);
  const deviceId = withImplied(compileField('deviceIdExpression', !implied), implied?.deviceId, path);
  const timestamp = withImplied(compileField('timestampExpression', !implied), implied?.timestamp, path);
  const values = reader
    .array(node, 'values', path, false)
    .map((value, index) =>
      readValue(reader, value, `${path}.values[${index}]`, calculated ? language : undefined),
    );
  if (typeName === undefined || typeMatch === undefined || !deviceId.length || !timestamp.length)
    return undefined;
  return {
    templateType: type,
    typeName,
    position: path,
    typeMatch,
    scopesToMessage: calculated,
    deviceId,
    timestamp,
    patientId: compileField('patientIdExpression', false),
    encounterId: compileField('encounterIdExpression', false),
    correlationId: compileField('correlationIdExpression', false),
    values: values.filter((value) => value !== undefined),
  };
}

function withImplied(own: LocatedExpression | undefined, implied: string[] | undefined, path: string) {
  if (own) return [own];
  return (implied ?? []).map((text) => ({
    expression: compileJsonPath(text),
    field: `${path} (implied ${text})`,
  }));
}

function readValue(
  reader: TemplateReader,
  value: unknown,
  path: string,
  language: ExpressionLanguage | undefined,
) {
  const node = reader.object(value, path, ['valueName', 'valueExpression', 'required']);
  if (!node) return undefined;
  const valueName = reader.string(node, 'valueName', path, true);
  const required = reader.boolean(node, 'required', path, false);
  const located = compileExpression(reader, node.valueExpression, `${path}.valueExpression`, true, language);
  return valueName !== undefined && located ? { ...located, valueName, required } : undefined;
}

function readLanguage(reader: TemplateReader, value: unknown, path: string): ExpressionLanguage | undefined {
  if (value === undefined || value === null) return ExpressionLanguage.JsonPath;
  const language = Object.values(ExpressionLanguage).find(
    (candidate) => typeof value === 'string' && candidate.toLowerCase() === value.trim().toLowerCase(),
  );
  return language ?? reader.issue(path, 'must be JsonPath or JmesPath');
}

/** `language` is set for CalculatedContent (which allows `{value, language}`), undefined for the others. */
function compileExpression(
  reader: TemplateReader,
  value: unknown,
  path: string,
  required: boolean,
  language: ExpressionLanguage | undefined,
): LocatedExpression | undefined {
  if (value === undefined || value === null) return required ? reader.issue(path, 'is required') : undefined;
  let text: unknown = value;
  let chosen = language ?? ExpressionLanguage.JsonPath;
  if (typeof value === 'object' && language !== undefined) {
    const node = reader.object(value, path, ['value', 'language']);
    if (!node) return undefined;
    text = reader.string(node, 'value', path, true);
    const own =
      node.language === undefined ? language : readLanguage(reader, node.language, `${path}.language`);
    if (text === undefined || own === undefined) return undefined;
    chosen = own;
  }
  if (typeof text !== 'string' || text.trim() === '')
    return reader.issue(path, 'must be a non-empty expression');
  try {
    const expression: CompiledExpression =
      chosen === ExpressionLanguage.JmesPath ? compileJmesPath(text) : compileJsonPath(text);
    return { expression, field: path };
  } catch {
    return reader.issue(path, `is not a valid ${chosen} expression`);
  }
}
