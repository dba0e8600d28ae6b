import { DomainError, ErrorKind } from '@hdp/platform';

export class AuditorRoleRequiredError extends DomainError {
  readonly kind = ErrorKind.Forbidden;
  constructor() {
    super('Only auditors may read the audit ledger.');
  }
}

export class AuditUnauthenticatedError extends DomainError {
  readonly kind = ErrorKind.Unauthenticated;
  constructor() {
    super('Authentication is required.');
  }
}

export class AuditEntryNotFoundError extends DomainError {
  readonly kind = ErrorKind.NotFound;
  constructor() {
    super('No such audit event.');
  }
}
