import { definedFields } from '../../common/defined-fields';
import { PeriodInterval } from '../../grouping/period-interval';
import { parseTemplateDocument, TemplateReader, typeNameOf } from '../template-reader';
import {
  CodeValueFhirTemplate,
  FhirCode,
  FhirCodeableConcept,
  FhirComponentTemplate,
  FhirValueTemplate,
  FhirValueType,
} from './fhir-template.types';

const COLLECTION = 'CollectionFhir';
const CODE_VALUE = 'CodeValueFhir';
const VALUE_FIELDS: Record<FhirValueType, readonly string[]> = {
  [FhirValueType.SampledData]: ['defaultPeriod', 'unit'],
  [FhirValueType.Quantity]: ['unit', 'system', 'code'],
  [FhirValueType.String]: [],
  [FhirValueType.CodeableConcept]: ['text', 'codes'],
};
const PERIODS = Object.values(PeriodInterval).filter((p) => typeof p === 'number');

/**
 * Loads a MedTech FHIR mapping document (`CollectionFhir` or one `CodeValueFhir`), keyed by type name.
 * Throws TemplateLoadError listing every problem with its path in the document.
 */
export function loadFhirTemplates(source: string | Buffer | object): Map<string, CodeValueFhirTemplate> {
  const reader = new TemplateReader();
  const root = reader.object(parseTemplateDocument(source, 'fhir'), '$', ['templateType', 'template']);
  const templates = new Map<string, CodeValueFhirTemplate>();
  const keep = (template: CodeValueFhirTemplate | undefined, path: string) => {
    if (template === undefined) return;
    if (templates.has(template.typeName)) reader.issue(`${path}.typeName`, 'repeats an earlier typeName');
    templates.set(template.typeName, template);
  };
  const type = root && reader.templateType(root, '$', [COLLECTION, CODE_VALUE]);
  if (root && type === COLLECTION) {
    reader.array(root, 'template', '$', true).forEach((entry, index) => {
      const path = `$.template[${index}]`;
      const node = reader.object(entry, path, ['templateType', 'template']);
      if (node && reader.templateType(node, path, [CODE_VALUE])) {
        keep(
          reader.within(typeNameOf(node.template), () =>
            readCodeValue(reader, node.template, `${path}.template`),
          ),
          path,
        );
      }
    });
  } else if (root && type === CODE_VALUE) {
    keep(readCodeValue(reader, root.template, '$.template'), '$');
  }
  reader.throwIfInvalid('fhir');
  return templates;
}

function readCodeValue(
  reader: TemplateReader,
  body: unknown,
  path: string,
): CodeValueFhirTemplate | undefined {
  const node = reader.object(body, path, [
    'typeName',
    'codes',
    'category',
    'periodInterval',
    'value',
    'components',
  ]);
  if (!node) return undefined;
  const typeName = reader.string(node, 'typeName', path, true);
  const periodInterval = reader.number(node, 'periodInterval', path) ?? PeriodInterval.Single;
  if (!PERIODS.includes(periodInterval)) reader.issue(`${path}.periodInterval`, 'must be 0, 60, 1440 or -1');
  const codes = readCodes(reader, node, path, true);
  const category = reader
    .array(node, 'category', path, false)
    .map((entry, index) => readConcept(reader, entry, `${path}.category[${index}]`));
  const value = node.value === undefined ? undefined : readValue(reader, node.value, `${path}.value`);
  const components = reader
    .array(node, 'components', path, false)
    .map((entry, index) => readComponent(reader, entry, `${path}.components[${index}]`));
  if (typeName === undefined) return undefined;
  return {
    typeName,
    codes,
    category: category.filter((c) => c !== undefined),
    periodInterval: periodInterval as PeriodInterval,
    ...(value ? { value } : {}),
    components: components.filter((c) => c !== undefined),
  };
}

function readComponent(
  reader: TemplateReader,
  entry: unknown,
  path: string,
): FhirComponentTemplate | undefined {
  const node = reader.object(entry, path, ['codes', 'value']);
  if (!node) return undefined;
  const codes = readCodes(reader, node, path, true);
  const value =
    node.value === undefined
      ? reader.issue(`${path}.value`, 'is required')
      : readValue(reader, node.value, `${path}.value`);
  return value && { codes, value };
}

function readConcept(reader: TemplateReader, entry: unknown, path: string): FhirCodeableConcept | undefined {
  const node = reader.object(entry, path, ['text', 'codes']);
  if (!node) return undefined;
  const text = reader.string(node, 'text', path, false);
  return { ...(text === undefined ? {} : { text }), codes: readCodes(reader, node, path) };
}

/** `required`: MedTech refuses a template or component without `codes` (an empty list is allowed). */
function readCodes(
  reader: TemplateReader,
  node: Record<string, unknown>,
  path: string,
  required = false,
): FhirCode[] {
  return reader
    .array(node, 'codes', path, required)
    .map((entry, index) => {
      const at = `${path}.codes[${index}]`;
      const code = reader.object(entry, at, ['code', 'system', 'display']);
      if (!code) return undefined;
      const value = reader.string(code, 'code', at, true);
      const system = reader.string(code, 'system', at, false);
      const display = reader.string(code, 'display', at, false);
      return value === undefined ? undefined : { code: value, ...definedFields({ system, display }) };
    })
    .filter((code) => code !== undefined);
}

function readValue(reader: TemplateReader, entry: unknown, path: string): FhirValueTemplate | undefined {
  const loose = reader.object(entry, path, [
    'valueType',
    'valueName',
    ...new Set(Object.values(VALUE_FIELDS).flat()),
  ]);
  const valueType = loose && readValueType(reader, loose.valueType, `${path}.valueType`);
  if (!loose || !valueType) return undefined;
  for (const key of Object.keys(loose)) {
    if (!['valueType', 'valueName', ...VALUE_FIELDS[valueType]].includes(key)) {
      reader.issue(`${path}.${key}`, `is not a property of a ${valueType} value`);
    }
  }
  const valueName = reader.string(loose, 'valueName', path, true);
  if (valueName === undefined) return undefined;
  switch (valueType) {
    case FhirValueType.SampledData: {
      const defaultPeriod = reader.number(loose, 'defaultPeriod', path);
      if (defaultPeriod === undefined || defaultPeriod <= 0) {
        return reader.issue(`${path}.defaultPeriod`, 'must be a positive number of milliseconds');
      }
      return {
        valueType,
        valueName,
        defaultPeriod,
        ...definedFields({ unit: reader.string(loose, 'unit', path, false) }),
      };
    }
    case FhirValueType.Quantity:
      return {
        valueType,
        valueName,
        ...definedFields({
          unit: reader.string(loose, 'unit', path, false),
          system: reader.string(loose, 'system', path, false),
          code: reader.string(loose, 'code', path, false),
        }),
      };
    case FhirValueType.String:
      return { valueType, valueName };
    case FhirValueType.CodeableConcept:
      return {
        valueType,
        valueName,
        ...definedFields({ text: reader.string(loose, 'text', path, false) }),
        codes: readCodes(reader, loose, path),
      };
  }
}

function readValueType(reader: TemplateReader, value: unknown, path: string): FhirValueType | undefined {
  const type = Object.values(FhirValueType).find(
    (candidate) => typeof value === 'string' && candidate.toLowerCase() === value.trim().toLowerCase(),
  );
  return type ?? reader.issue(path, `must be one of ${Object.values(FhirValueType).join(', ')}`);
}
