import { asDomainError, DomainError, ErrorKind } from '@hdp/platform';

/** What was done to a resource. Reads and searches count as much as writes. */
export enum AuditAction {
  Create = 'create',
  Read = 'read',
  Update = 'update',
  Delete = 'delete',
  Search = 'search',
  Verify = 'verify',
  /** A resource checked without being stored (FHIR `$validate`). */
  Validate = 'validate',
  /** FHIR: a read of one past version, of one record's versions, of a type's versions. */
  VRead = 'vread',
  HistoryInstance = 'history-instance',
  HistoryType = 'history-type',
}

/** The part of an entry the caller states; who, where and why come from the request context. */
export interface AuditEvent {
  readonly action: AuditAction;
  readonly resourceType: string;
  readonly resourceId?: string;
  readonly patientId?: string;
  /** The HTTP status the caller saw (or will see). */
  readonly outcome: number;
  /** Searches: how many records were returned (never which). */
  readonly count?: number;
}

export interface AuditActor {
  readonly id: string;
  readonly clientId: string;
  readonly roles: readonly string[];
}

/**
 * An entry before it is sealed into a chain: everything but its position, hash and signature. Plain data,
 * so it can wait in a write-ahead intent inside the changed document.
 */
export interface AuditDraft extends AuditEvent {
  readonly id: string;
  readonly at: Date;
  readonly actor: AuditActor;
  readonly clientAddress: string;
  readonly userAgent?: string;
  readonly correlationId: string;
  readonly purposeOfUse?: string;
  readonly breakGlassReason?: string;
}

/** A draft sealed into its chain: position, link to its predecessor, hash and signature. */
export interface AuditEntry extends AuditDraft {
  readonly chain: number;
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
  readonly keyId: string;
  readonly signature: string;
}

const OUTCOME_BY_KIND: Record<ErrorKind, number> = {
  [ErrorKind.Invalid]: 400,
  [ErrorKind.Unauthenticated]: 401,
  [ErrorKind.Forbidden]: 403,
  [ErrorKind.NotFound]: 404,
  [ErrorKind.Conflict]: 409,
  [ErrorKind.Gone]: 410,
  [ErrorKind.PreconditionFailed]: 412,
  [ErrorKind.TooLarge]: 413,
  [ErrorKind.UnsupportedMediaType]: 415,
  [ErrorKind.Unprocessable]: 422,
  [ErrorKind.PreconditionRequired]: 428,
  [ErrorKind.RangeNotSatisfiable]: 416,
  [ErrorKind.Unavailable]: 503,
};

/** The status an error will reach the caller with, for the entry recording the failure. */
export function auditOutcomeOf(failure: unknown): number {
  const error = asDomainError(failure);
  if (error instanceof DomainError) return OUTCOME_BY_KIND[error.kind];
  const status = (error as { getStatus?: () => unknown } | null)?.getStatus?.();
  return typeof status === 'number' ? status : 500;
}
