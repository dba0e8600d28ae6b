import { PeriodInterval } from '../../grouping/period-interval';

/** A code as written in a FHIR mapping template. */
export interface FhirCode {
  readonly code: string;
  readonly system?: string;
  readonly display?: string;
}

/** A category (CodeableConcept) as written in a FHIR mapping template. */
export interface FhirCodeableConcept {
  readonly text?: string;
  readonly codes: readonly FhirCode[];
}

/** The value types of the MedTech CodeValueFhir format. */
export enum FhirValueType {
  SampledData = 'SampledData',
  Quantity = 'Quantity',
  String = 'String',
  CodeableConcept = 'CodeableConcept',
}

/** How one measurement property becomes an Observation value. */
export type FhirValueTemplate =
  | { valueType: FhirValueType.SampledData; valueName: string; defaultPeriod: number; unit?: string }
  | { valueType: FhirValueType.Quantity; valueName: string; unit?: string; system?: string; code?: string }
  | { valueType: FhirValueType.String; valueName: string }
  | {
      valueType: FhirValueType.CodeableConcept;
      valueName: string;
      text?: string;
      codes: readonly FhirCode[];
    };

/** One Observation component (e.g. systolic of a blood-pressure panel). */
export interface FhirComponentTemplate {
  readonly codes: readonly FhirCode[];
  readonly value: FhirValueTemplate;
}

/** A loaded CodeValueFhir template: how measurements of one type become an Observation. */
export interface CodeValueFhirTemplate {
  readonly typeName: string;
  readonly codes: readonly FhirCode[];
  readonly category: readonly FhirCodeableConcept[];
  readonly periodInterval: PeriodInterval;
  readonly value?: FhirValueTemplate;
  readonly components: readonly FhirComponentTemplate[];
}
