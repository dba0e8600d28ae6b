import { DomainError, ErrorKind } from '@hdp/platform';

/** Also what a caller outside the encounter's patient compartment sees. */
export class EncounterNotFoundError extends DomainError {
  readonly kind = ErrorKind.NotFound;
  constructor() {
    super('No encounter with this id.');
  }
}

/** Never names the identifier. */
export class EncounterIdentifierTakenError extends DomainError {
  readonly kind = ErrorKind.Conflict;
  constructor() {
    super('Another encounter already has this identifier.');
  }
}

/** A look-up by identifier that more than one encounter answers. */
export class AmbiguousEncounterIdentifierError extends DomainError {
  readonly kind = ErrorKind.PreconditionFailed;
  constructor() {
    super('More than one encounter has this identifier.');
  }
}

/** `Encounter.subject` is not a patient the caller may record an encounter for (unknown, deleted or not theirs). */
export class UnknownEncounterPatientError extends DomainError {
  readonly kind = ErrorKind.Unprocessable;
  constructor() {
    super('The subject must reference an existing patient.', [
      { path: 'Encounter.subject', message: 'must reference an existing Patient on this server' },
    ]);
  }
}

/** An encounter stays with the patient it was recorded for. */
export class EncounterSubjectChangedError extends DomainError {
  readonly kind = ErrorKind.Conflict;
  constructor() {
    super('The encounter belongs to another patient.', [
      { path: 'Encounter.subject', message: 'must reference the patient the encounter was recorded for' },
    ]);
  }
}
