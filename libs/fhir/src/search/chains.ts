import { invalidSearch } from './searchset';

/** The chained parameters that name a patient by identifier, as Observation searches take them. */
export const PATIENT_IDENTIFIER_CHAINS = ['subject:Patient.identifier', 'patient.identifier'] as const;

/**
 * Takes a chained patient-identifier parameter out of a query: its `system|value` (undefined when not
 * asked), and the query left. Given twice, or without a system, it is a 400 naming it.
 */
export function takePatientIdentifierChain(query: Record<string, unknown>): {
  identifier?: string;
  rest: Record<string, unknown>;
} {
  const rest = { ...query };
  let identifier: string | undefined;
  for (const param of PATIENT_IDENTIFIER_CHAINS) {
    const value = rest[param];
    if (value === undefined) continue;
    delete rest[param];
    if (identifier !== undefined || typeof value !== 'string' || !/^[^|]+\|[^|]+$/.test(value))
      throw invalidSearch(param, 'must be one system|value, given once');
    identifier = value;
  }
  return { identifier, rest };
}
