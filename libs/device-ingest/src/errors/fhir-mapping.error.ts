import { DomainError, ErrorKind } from '@hdp/platform';

/** Why measurements could not become (or merge into) an Observation; usable as a dead-letter reason. */
export enum FhirMappingFailure {
  NoTemplate = 'no-fhir-template',
  InvalidQuantity = 'invalid-quantity',
  IncompatibleExistingValue = 'incompatible-existing-value',
  /** A single-value (Quantity, String) element got a second, different reading for one Observation. */
  MultipleValues = 'multiple-values',
}

/** Raised by the FHIR mapper; names the measurement type and value, never a reading. */
export class FhirMappingError extends DomainError {
  readonly kind = ErrorKind.Unprocessable;

  constructor(
    readonly reason: FhirMappingFailure,
    readonly typeName: string,
    readonly valueName?: string,
    detail?: string,
  ) {
    const value = valueName ? ` value '${valueName}'` : '';
    super(`Measurement type '${typeName}'${value}: ${reason}${detail ? ` (${detail})` : ''}`);
  }
}
