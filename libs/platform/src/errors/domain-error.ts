/** What went wrong, in terms the HTTP faces (REST problem+json, FHIR OperationOutcome) translate. */
export enum ErrorKind {
  Invalid = 'invalid',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  NotFound = 'not-found',
  Gone = 'gone',
  Conflict = 'conflict',
  PreconditionFailed = 'precondition-failed',
  PreconditionRequired = 'precondition-required',
  TooLarge = 'too-large',
  UnsupportedMediaType = 'unsupported-media-type',
  RangeNotSatisfiable = 'range-not-satisfiable',
  Unprocessable = 'unprocessable',
  Unavailable = 'unavailable',
}

/** One invalid element of the input, by its path (`identifier[0].value`), never by its value. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * Base of every error the libs raise on purpose. Messages must never carry patient data:
 * they reach callers and logs as they are.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;

  constructor(
    message: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidInputError extends DomainError {
  readonly kind = ErrorKind.Invalid;
}
