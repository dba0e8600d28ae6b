import { DomainError, ErrorKind } from '@hdp/platform';

/** Also what a caller outside the patient's compartment sees, so a patient's existence does not leak. */
export class PatientNotFoundError extends DomainError {
  readonly kind = ErrorKind.NotFound;
  constructor() {
    super('No patient with this id.');
  }
}

export class TestResultNotFoundError extends DomainError {
  readonly kind = ErrorKind.NotFound;
  constructor() {
    super('No test result with this id for this patient.');
  }
}

/** A deleted patient, for faces that must say so (FHIR answers 410); only ever shown inside the caller's compartment. */
export class PatientGoneError extends DomainError {
  readonly kind = ErrorKind.Gone;
  constructor() {
    super('This patient has been deleted.');
  }
}

/** Never names the identifier: it is patient data. */
export class DuplicateIdentifierError extends DomainError {
  readonly kind = ErrorKind.Conflict;
  constructor() {
    super('Another patient already has one of these identifiers.');
  }
}

export class VersionMismatchError extends DomainError {
  readonly kind = ErrorKind.PreconditionFailed;
  constructor() {
    super('The record has changed since it was read: read it again and retry with its new ETag.');
  }
}

export class IfMatchRequiredError extends DomainError {
  readonly kind = ErrorKind.PreconditionRequired;
  constructor() {
    super('This change needs an If-Match header with the ETag of the version it changes.');
  }
}

export class PatientAccessDeniedError extends DomainError {
  readonly kind = ErrorKind.Forbidden;
  constructor() {
    super('The caller may not do this with patient records.');
  }
}

export class NotAuthenticatedError extends DomainError {
  readonly kind = ErrorKind.Unauthenticated;
  constructor() {
    super('Authentication is required.');
  }
}
