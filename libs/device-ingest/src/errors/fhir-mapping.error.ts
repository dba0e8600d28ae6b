import { DomainError, ErrorKind } from '@hdp/platform';

/** Why measurements could not become (or merge into) an Observation; usable as a dead-letter reason. */
export enum FhirMappingFailure {
  NoTemplate = 'no-fhir-template',
  InvalidQuantity = 'invalid-quantity',
  IncompatibleExistingValue = 'incompatible-existing-value',
}

/** Raised by the FHIR mapper; names the measurement type and value, never a reading. */
export class FhirMappingError extends DomainError {
  readonly kind = ErrorKind.Unprocessable;

  constructor(
    readonly reason: FhirMappingFailure,
    readonly typeName: string,
    readonly valueName?: string,
  ) {
    super(`Measurement type '${typeName}'${valueName ? ` value '${valueName}'` : ''}: ${reason}`);
  }
}
