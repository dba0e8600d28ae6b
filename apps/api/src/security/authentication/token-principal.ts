import { Principal, Role } from '@hdp/platform';
import type { JWTPayload } from 'jose';

const ROLES = new Set<string>(Object.values(Role));

/**
 * The principal a verified token describes: `sub`; the client from `azp` or `client_id`; roles from `roles`
 * (Entra ID app roles); SMART scopes from `scope` (space-separated) or `scp`; the patient launch context from
 * `patient` (SMART) or a `fhirUser` naming a Patient.
 */
export function principalFromToken(payload: JWTPayload): Principal {
  const patientId = stringClaim(payload.patient) ?? patientOf(stringClaim(payload.fhirUser));
  return {
    id: payload.sub ?? '',
    clientId: stringClaim(payload.azp) ?? stringClaim(payload.client_id) ?? payload.sub ?? '',
    roles: listClaim(payload.roles).filter((role): role is Role => ROLES.has(role)),
    scopes: [...listClaim(payload.scope), ...listClaim(payload.scp)],
    ...(patientId ? { patientId } : {}),
  };
}

function stringClaim(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function listClaim(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function patientOf(fhirUser: string | undefined): string | undefined {
  const match = fhirUser ? /(?:^|\/)Patient\/([\w.-]{1,64})$/.exec(fhirUser) : null;
  return match?.[1];
}
