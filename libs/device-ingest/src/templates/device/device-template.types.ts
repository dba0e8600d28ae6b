import { CompiledExpression, ExpressionLanguage } from '../../expressions/expression';

/** The device content template types of the MedTech format (a `Template` suffix is accepted on load). */
export enum DeviceTemplateType {
  Collection = 'CollectionContent',
  JsonPath = 'JsonPathContent',
  IotJsonPath = 'IotJsonPathContent',
  IotCentralJsonPath = 'IotCentralJsonPathContent',
  Calculated = 'CalculatedContent',
}

/** An expression as written in a template: plain text, or (CalculatedContent only) text with its language. */
export type TemplateExpression = string | { value: string; language?: ExpressionLanguage };

/** One value a device template extracts, as written in the template. */
export interface DeviceValueTemplate {
  valueName: string;
  valueExpression: TemplateExpression;
  required?: boolean;
}

/** The body of a JsonPath/IotJsonPath/IotCentralJsonPath/Calculated content template, as written. */
export interface DeviceContentTemplate {
  typeName: string;
  typeMatchExpression: TemplateExpression;
  deviceIdExpression?: TemplateExpression;
  patientIdExpression?: TemplateExpression;
  encounterIdExpression?: TemplateExpression;
  correlationIdExpression?: TemplateExpression;
  timestampExpression?: TemplateExpression;
  values?: DeviceValueTemplate[];
  /** CalculatedContent only. */
  defaultExpressionLanguage?: ExpressionLanguage;
}

/** A `CollectionContent` document, as written. */
export interface CollectionContent {
  templateType: DeviceTemplateType.Collection;
  template: {
    templateType: Exclude<DeviceTemplateType, DeviceTemplateType.Collection>;
    template: DeviceContentTemplate;
  }[];
}

/** A compiled expression together with where it sits in the template document. */
export interface LocatedExpression {
  readonly expression: CompiledExpression;
  readonly field: string;
}

/** A device template ready to run: every expression compiled once. */
export interface CompiledDeviceTemplate {
  readonly templateType: Exclude<DeviceTemplateType, DeviceTemplateType.Collection>;
  readonly typeName: string;
  /** Where the template sits in its document, e.g. `template[2]`. */
  readonly position: string;
  readonly typeMatch: LocatedExpression;
  /** CalculatedContent reads the message with the match as `matchedToken`; the others read the match itself. */
  readonly scopesToMessage: boolean;
  /** Tried in order; the first that selects a token wins (IoT Hub falls back to the enqueued time). */
  readonly deviceId: readonly LocatedExpression[];
  readonly timestamp: readonly LocatedExpression[];
  readonly patientId?: LocatedExpression;
  readonly encounterId?: LocatedExpression;
  readonly correlationId?: LocatedExpression;
  readonly values: readonly (LocatedExpression & {
    readonly valueName: string;
    readonly required: boolean;
  })[];
}
