import type { Interaction } from './access.decorators';

/** One scope, parsed: `patient/Observation.rs` -> patient context, Observation, {read, search}. */
export interface Permission {
  readonly context: 'patient' | 'user' | 'system';
  /** A FHIR resource type, or `*`. */
  readonly resource: string;
  readonly interactions: ReadonlySet<Interaction>;
}

const V2_LETTERS: Record<string, Interaction> = {
  c: 'create',
  r: 'read',
  u: 'update',
  d: 'delete',
  s: 'search',
};
const V1_ACTIONS: Record<string, Interaction[]> = {
  read: ['read', 'search'],
  write: ['create', 'update', 'delete'],
  '*': ['create', 'read', 'update', 'delete', 'search'],
};
const SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]{0,63})\.(read|write|\*|c?r?u?d?s?)$/;

/**
 * Parses SMART on FHIR v1 (`user/Patient.read`) and v2 (`patient/Patient.rs`) scopes into one model.
 * Anything else (OpenID scopes, v2 scopes narrowed by `?` parameters, which this server does not enforce)
 * grants nothing: an unknown scope must never widen access.
 */
export function parseScope(scope: string): Permission | undefined {
  const match = SCOPE.exec(scope);
  if (!match || match[3] === '') return undefined;
  const [, context, resource, action] = match;
  const interactions = V1_ACTIONS[action] ?? [...action].map((letter) => V2_LETTERS[letter]);
  return { context: context as Permission['context'], resource, interactions: new Set(interactions) };
}

/**
 * Whether the scopes allow the interaction on the resource type. `patient/` scopes count only for a caller
 * with a patient in context (and then only for that patient's records, which the data layer enforces).
 */
export function scopesPermit(
  scopes: readonly string[],
  resource: string,
  interaction: Interaction,
  hasPatientContext: boolean,
): boolean {
  return scopes.some((scope) => {
    const permission = parseScope(scope);
    return (
      permission !== undefined &&
      (permission.context !== 'patient' || hasPatientContext) &&
      (permission.resource === '*' || permission.resource === resource) &&
      permission.interactions.has(interaction)
    );
  });
}
