import type { Encounter } from 'fhir/r4';
import { dateRange, EncounterContent, EncounterRecord } from '@hdp/patients';
import { checkOn, FhirValidationError, identifierIssues, unsupportedElements } from '../fhir-validation';
import { asResource, patientIdOf, storedContent } from '../stored-resource';
import { ENCOUNTER_SHAPE } from './encounter-shape';

const RESOURCE = 'Encounter';
const check = checkOn(RESOURCE);
export const ENCOUNTER_STATUSES: readonly string[] = [
  'planned',
  'arrived',
  'triaged',
  'in-progress',
  'onleave',
  'finished',
  'cancelled',
  'entered-in-error',
  'unknown',
];

/** A validated Encounter: the patient it is of and what the encounter record holds. */
export interface EncounterInput {
  readonly patientId: string;
  readonly content: EncounterContent;
}

/** A stored encounter as a FHIR R4 Encounter; `meta.versionId` is the record's version. */
export function toFhirEncounter(record: EncounterRecord): Encounter {
  return asResource(RESOURCE, record, record.encounter);
}

/**
 * A FHIR Encounter as the encounter record it describes. Throws FhirValidationError (422) naming, by FHIRPath
 * expression and never by value, each element the server cannot hold or that breaks a rule it relies on:
 * status from its value set, a coded `class`, a `subject` naming a patient by id, a period of dates that
 * does not end before it starts, identifiers with system and value. Server-assigned `id`/`meta` are ignored.
 */
export function fromFhirEncounter(resource: unknown): EncounterInput {
  const structural = unsupportedElements(resource, ENCOUNTER_SHAPE, RESOURCE);
  if (structural.length > 0) throw new FhirValidationError(structural);
  const encounter = resource as Encounter;
  const patientId = patientIdOf(encounter.subject);
  const issues = [
    ...check((encounter.resourceType as string) === RESOURCE, 'resourceType', 'must be Encounter'),
    ...check(ENCOUNTER_STATUSES.includes(encounter.status), 'status', 'must be an Encounter status code'),
    ...check(
      typeof encounter.class?.system === 'string' && typeof encounter.class.code === 'string',
      'class',
      'must be a coding with system and code',
    ),
    ...check(patientId !== undefined, 'subject', 'must reference a Patient by id (Patient/{id})'),
    ...check(periodIsValid(encounter.period), 'period', 'must be dates, and must not end before it starts'),
    ...identifierIssues(RESOURCE, encounter.identifier),
  ];
  if (issues.length > 0) throw new FhirValidationError(issues);
  return { patientId: patientId as string, content: storedContent(encounter) };
}

function periodIsValid(period: Encounter['period']): boolean {
  if (period === undefined) return true;
  const start = period.start === undefined ? undefined : dateRange(period.start);
  const end = period.end === undefined ? undefined : dateRange(period.end);
  if ((period.start !== undefined && !start) || (period.end !== undefined && !end)) return false;
  return !start || !end || start.start < end.end;
}
