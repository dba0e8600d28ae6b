import { DomainError, ErrorKind } from '@hdp/platform';

export class PatientReportedNotFoundError extends DomainError {
  readonly kind = ErrorKind.NotFound;
  constructor() {
    super('No patient-reported record with this id for this patient.');
  }
}

/** Patient-reported data is recorded by the patient themselves, signed in with their own patient context. */
export class ReporterRequiredError extends DomainError {
  readonly kind = ErrorKind.Forbidden;
  constructor() {
    super('Only the patient, signed in with their own patient context, records patient-reported data.');
  }
}
