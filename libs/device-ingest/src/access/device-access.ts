import { DomainError, ErrorKind, Principal, RequestContextService, Role } from '@hdp/platform';

export class NotAuthenticatedError extends DomainError {
  readonly kind = ErrorKind.Unauthenticated;
}

export class DeviceAccessDeniedError extends DomainError {
  readonly kind = ErrorKind.Forbidden;
}

/** Who may do what on the device routes. */
export enum DeviceAccess {
  /** Gateways sending readings: the partner-system role or a system-level Observation write scope. */
  SendEvents = 'send-events',
  /** Listing and replaying dead letters (which hold raw readings): admins only. */
  ManageDeadLetters = 'manage-dead-letters',
}

const WRITE_SCOPES = [
  'system/Observation.write',
  'system/Observation.c',
  'system/Observation.cu',
  'system/*.write',
];

/** Throws 401 without a principal and 403 when the principal may not do `access`. */
export function requireDeviceAccess(contexts: RequestContextService, access: DeviceAccess): Principal {
  const principal = contexts.current()?.principal;
  if (!principal) throw new NotAuthenticatedError('Authentication is required.');
  const allowed =
    access === DeviceAccess.SendEvents
      ? principal.roles.includes(Role.PartnerSystem) || principal.scopes.some((s) => WRITE_SCOPES.includes(s))
      : principal.roles.includes(Role.Admin);
  if (!allowed) throw new DeviceAccessDeniedError('You are not allowed to do this.');
  return principal;
}
