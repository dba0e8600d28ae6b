import type { Observation } from 'fhir/r4';
import { dateRange, ObservationContent, RESULT_STATUSES, TestResultObservation } from '@hdp/patients';
import { FieldIssue } from '@hdp/platform';
import { checkOn, FhirValidationError, identifierIssues, unsupportedElements } from '../fhir-validation';
import { asResource, patientIdOf, storedContent } from '../stored-resource';
import { OBSERVATION_SHAPE, VALUE_ELEMENTS } from './observation-shape';

const RESOURCE = 'Observation';
const check = checkOn(RESOURCE);
const EFFECTIVE = ['effectiveDateTime', 'effectivePeriod', 'effectiveInstant'] as const;

/** A validated Observation: the patient it is about and what the test result holds. */
export interface ObservationInput {
  readonly patientId: string;
  readonly content: ObservationContent;
}

/** A stored test result as a FHIR R4 Observation; `meta.versionId` is the record's version. */
export function toFhirObservation(record: TestResultObservation): Observation {
  return asResource(RESOURCE, record, record.observation);
}

/**
 * A FHIR Observation as the test result it describes. Throws FhirValidationError (422) naming, by FHIRPath
 * expression and never by value, each element the server cannot hold or that breaks a rule it relies on:
 * status from its value set, a coded `code`, a `subject` naming a patient, one effective[x] it can place
 * in time, at most one value[x], identifiers with system and value. Server-assigned `id`/`meta` are ignored.
 */
export function fromFhirObservation(resource: unknown): ObservationInput {
  const structural = unsupportedElements(resource, OBSERVATION_SHAPE, RESOURCE);
  if (structural.length > 0) throw new FhirValidationError(structural);
  const observation = resource as Observation;
  const issues = [
    ...check((observation.resourceType as string) === RESOURCE, 'resourceType', 'must be Observation'),
    ...check(RESULT_STATUSES.includes(observation.status), 'status', 'must be an Observation status code'),
    ...codeIssues(observation),
    ...check(
      patientIdOf(observation.subject) !== undefined,
      'subject',
      'must reference a Patient by id (Patient/{id})',
    ),
    ...effectiveIssues(observation),
    ...check(
      observation.issued === undefined || isInstant(observation.issued),
      'issued',
      'must be an instant',
    ),
    ...valueIssues(observation, ''),
    ...(observation.component ?? []).flatMap((component, index) => [
      ...check(
        hasCoding(component.code),
        `component[${index}].code`,
        'must have a coding with system and code',
      ),
      ...valueIssues(component, `component[${index}].`),
    ]),
    ...identifierIssues(RESOURCE, observation.identifier),
  ];
  if (issues.length > 0) throw new FhirValidationError(issues);
  return { patientId: patientIdOf(observation.subject) as string, content: storedContent(observation) };
}

function codeIssues(observation: Observation): FieldIssue[] {
  return check(hasCoding(observation.code), 'code', 'must have a coding with system and code');
}

function hasCoding(concept: Observation['code'] | undefined): boolean {
  return (concept?.coding ?? []).some(
    ({ system, code }) => typeof system === 'string' && typeof code === 'string',
  );
}

function effectiveIssues(observation: Observation): FieldIssue[] {
  const given = EFFECTIVE.filter((element) => observation[element] !== undefined);
  if (given.length !== 1)
    return check(
      false,
      'effective[x]',
      'exactly one of effectiveDateTime, effectivePeriod, effectiveInstant',
    );
  const [element] = given;
  const value = observation[element];
  const valid =
    typeof value === 'string'
      ? dateRange(value) !== undefined
      : value !== undefined &&
        typeof value !== 'string' &&
        (value.start !== undefined || value.end !== undefined) &&
        [value.start, value.end].every((bound) => bound === undefined || isInstant(bound, true));
  return check(valid, element, 'must be a date, dateTime or instant (a period needs a start or an end)');
}

function valueIssues(holder: object, prefix: string): FieldIssue[] {
  const values = VALUE_ELEMENTS.filter((element) => Object.hasOwn(holder, element));
  return check(values.length <= 1, `${prefix}value[x]`, 'at most one value[x]');
}

function isInstant(value: unknown, partial = false): boolean {
  if (typeof value !== 'string') return false;
  return dateRange(value) !== undefined && (partial || value.includes('T'));
}
