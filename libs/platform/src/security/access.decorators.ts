import { applyDecorators, SetMetadata } from '@nestjs/common';
import { Role } from '../request-context/principal';

/** What a route does to a resource type, in SMART v2 terms (v1 `read` = read+search, `write` = create+update+delete). */
export type Interaction = 'create' | 'read' | 'update' | 'delete' | 'search';

export const REQUIRED_SCOPE = 'security:scope';
export const REQUIRED_ROLES = 'security:roles';
export const ADMIN_NETWORK = 'security:admin-network';
export const ANY_AUTHENTICATED = 'security:any-authenticated';

export interface RequiredScope {
  readonly resource: string;
  readonly interaction: Interaction;
}

/**
 * The SMART scope a route needs, shared by REST and FHIR routes: `@RequireScope('Patient', 'read')` passes
 * `user/Patient.read`, `patient/*.rs`, `system/Patient.r` ... A clinician may break the glass on a denial.
 */
export const RequireScope = (resource: string, interaction: Interaction) =>
  SetMetadata(REQUIRED_SCOPE, { resource, interaction } satisfies RequiredScope);

/**
 * Any authenticated caller, whatever its roles and scopes. Routes must declare their access: one that declares
 * nothing is refused to everyone, so opening a route this wide is a visible choice.
 */
export const AnyAuthenticated = () => SetMetadata(ANY_AUTHENTICATED, true);

/** The caller must hold at least one of these roles. */
export const RequireRole = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

/**
 * Admin operations: the admin role, from an address in ADMIN_ALLOWED_CIDRS. Break-glass never applies.
 * Apply to a controller or a handler.
 */
export const AdminOperation = () =>
  applyDecorators(RequireRole(Role.Admin), SetMetadata(ADMIN_NETWORK, true));
