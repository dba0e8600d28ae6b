import { DomainError, ErrorKind } from '@hdp/platform';

/** A deleted result, for faces that must say so (FHIR answers 410); only shown inside the caller's compartment. */
export class TestResultGoneError extends DomainError {
  readonly kind = ErrorKind.Gone;
  constructor() {
    super('This test result has been deleted.');
  }
}

/** Never names the identifier. */
export class ObservationIdentifierTakenError extends DomainError {
  readonly kind = ErrorKind.Conflict;
  constructor() {
    super('Another test result already has this identifier.');
  }
}

/** A conditional write whose criteria match more than one result. */
export class AmbiguousIdentifierError extends DomainError {
  readonly kind = ErrorKind.PreconditionFailed;
  constructor() {
    super('More than one test result has this identifier.');
  }
}

/** The Observation's subject is not a patient the caller may record results for (unknown, deleted or not theirs). */
export class UnknownSubjectError extends DomainError {
  readonly kind = ErrorKind.Unprocessable;
  constructor() {
    super('The subject must reference an existing patient.', [
      { path: 'Observation.subject', message: 'must reference an existing Patient on this server' },
    ]);
  }
}

/** A result stays with its patient: an update may not move it to another. */
export class SubjectChangeError extends DomainError {
  readonly kind = ErrorKind.Unprocessable;
  constructor() {
    super('A test result cannot be moved to another patient.', [
      { path: 'Observation.subject', message: 'must reference the same patient as the stored result' },
    ]);
  }
}

/** A conditional update by identifier whose resource does not carry that identifier first. */
export class ConditionalIdentifierError extends DomainError {
  readonly kind = ErrorKind.Unprocessable;
  constructor() {
    super('The resource must carry the identifier of the conditional update as its first identifier.', [
      { path: 'Observation.identifier[0]', message: 'must equal the identifier searched for' },
    ]);
  }
}
