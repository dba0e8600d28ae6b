import type { HumanName, Patient } from 'fhir/r4';
import {
  HumanNameDto,
  isValidNhsNumber,
  NHS_NUMBER_SYSTEM,
  PatientChange,
  PatientCreateDto,
  PatientFhirElements,
  PatientRecord,
  validateDto,
} from '@hdp/patients';
import { DomainError, FieldIssue } from '@hdp/platform';
import { checkOn, FhirValidationError, toExpression, unsupportedElements } from '../fhir-validation';
import { storedContent } from '../stored-resource';
import { PATIENT_SHAPE } from './patient-shape';

const RESOURCE = 'Patient';
const check = checkOn(RESOURCE);
/** The Patient elements the REST record holds field by field. */
const REST_FIELDS: ReadonlySet<string> = new Set([
  'identifier',
  'name',
  'telecom',
  'gender',
  'birthDate',
  'address',
]);

/** A validated Patient: the REST record's fields and everything else it carried, kept verbatim. */
export interface PatientInput extends PatientChange {
  readonly record: PatientCreateDto;
  readonly fhirElements: PatientFhirElements;
}

/**
 * A patient record as a FHIR R4 Patient: the REST fields merged with the FHIR-only elements stored beside
 * them, the record's name back among the others at its place; `meta.versionId` is the record's version.
 */
export function toFhirPatient(patient: PatientRecord): Patient {
  const { namesBefore = [], namesAfter = [], meta, ...elements } = patient.fhirElements ?? {};
  return {
    resourceType: RESOURCE,
    id: patient.id,
    meta: { ...meta, versionId: String(patient.version), lastUpdated: patient.updatedAt },
    ...elements,
    ...nonEmpty('identifier', patient.identifier),
    name: [...namesBefore, fhirName(patient.name), ...namesAfter],
    ...nonEmpty('telecom', patient.telecom),
    gender: patient.gender,
    birthDate: patient.birthDate,
    ...nonEmpty('address', patient.address),
  };
}

function fhirName({ given, prefix, suffix, ...rest }: HumanNameDto): HumanName {
  return {
    ...rest,
    ...nonEmpty('given', given),
    ...nonEmpty('prefix', prefix),
    ...nonEmpty('suffix', suffix),
  };
}

/**
 * A FHIR Patient as the patient record it describes. Throws FhirValidationError (422) naming each element
 * this server refuses (see PATIENT_SHAPE) or that breaks a rule it relies on (a name with a family name,
 * gender, a full birth date, identifiers with system and value, NHS number check digits), by FHIRPath
 * expression and never by value. The record's name is the first official name with a family name, else the
 * first with one; the other names, and the elements the REST record does not model, are kept verbatim.
 * References (`managingOrganization`, `generalPractitioner`, `link.other`) are kept as given, not resolved.
 */
export async function fromFhirPatient(resource: unknown): Promise<PatientInput> {
  const structural = unsupportedElements(resource, PATIENT_SHAPE, RESOURCE);
  if (structural.length > 0) throw new FhirValidationError(structural);
  const patient = resource as Patient;
  const names = patient.name ?? [];
  const issues = [
    ...check((patient.resourceType as string) === RESOURCE, 'resourceType', 'must be Patient'),
    ...check(names.length > 0, 'name', 'at least one name is required'),
    ...choiceIssues(patient),
  ];
  if (issues.length > 0) throw new FhirValidationError(issues);
  const at = recordNameIndex(names);
  const { identifier, telecom, gender, birthDate, address } = patient;
  const fields = JSON.parse(
    JSON.stringify({ identifier, name: names[at], telecom, gender, birthDate, address }),
  ) as unknown;
  const record = await validateDto(PatientCreateDto, fields).catch((error: unknown) => {
    throw error instanceof DomainError ? new FhirValidationError(fhirIssues(error.issues, at)) : error;
  });
  const badNhsNumbers = (record.identifier ?? []).flatMap(({ system, value }, index) =>
    check(
      system !== NHS_NUMBER_SYSTEM || isValidNhsNumber(value),
      `identifier[${index}].value`,
      'not a valid NHS number (modulus-11 check)',
    ),
  );
  if (badNhsNumbers.length > 0) throw new FhirValidationError(badNhsNumbers);
  return { record, fhirElements: fhirOnlyElements(patient, names, at) };
}

/** The record's name: the first official name with a family name, else the first with one, else the first. */
function recordNameIndex(names: readonly HumanName[]): number {
  const official = names.findIndex(({ use, family }) => use === 'official' && family !== undefined);
  const withFamily = names.findIndex(({ family }) => family !== undefined);
  return Math.max(official >= 0 ? official : withFamily, 0);
}

/** The elements of a valid Patient the REST record does not hold, and the names beside the record's. */
function fhirOnlyElements(patient: Patient, names: readonly HumanName[], at: number): PatientFhirElements {
  const elements = Object.entries(storedContent(patient)).filter(([key]) => !REST_FIELDS.has(key));
  return JSON.parse(
    JSON.stringify({
      ...Object.fromEntries(elements),
      ...(at > 0 ? { namesBefore: names.slice(0, at) } : {}),
      ...(at < names.length - 1 ? { namesAfter: names.slice(at + 1) } : {}),
    }),
  ) as PatientFhirElements;
}

/** Types of the single primitives kept verbatim, and one value per choice element. */
function choiceIssues(patient: Patient): FieldIssue[] {
  const { active, deceasedBoolean, deceasedDateTime, multipleBirthBoolean, multipleBirthInteger } = patient;
  const optional = (value: unknown, type: string) => value === undefined || typeof value === type;
  return [
    ...check(optional(active, 'boolean'), 'active', 'must be a boolean'),
    ...check(optional(deceasedBoolean, 'boolean'), 'deceasedBoolean', 'must be a boolean'),
    ...check(optional(deceasedDateTime, 'string'), 'deceasedDateTime', 'must be a dateTime'),
    ...check(optional(multipleBirthBoolean, 'boolean'), 'multipleBirthBoolean', 'must be a boolean'),
    ...check(
      multipleBirthInteger === undefined || Number.isInteger(multipleBirthInteger),
      'multipleBirthInteger',
      'must be an integer',
    ),
    ...check(
      deceasedBoolean === undefined || deceasedDateTime === undefined,
      'deceased',
      'only one of deceasedBoolean and deceasedDateTime',
    ),
    ...check(
      multipleBirthBoolean === undefined || multipleBirthInteger === undefined,
      'multipleBirth',
      'only one of multipleBirthBoolean and multipleBirthInteger',
    ),
  ];
}

/** Issues the patients lib's validation raised, re-pointed at the FHIR element they concern. */
function fhirIssues(issues: readonly FieldIssue[], nameAt: number): FieldIssue[] {
  return issues.map(({ path, message }) => ({
    path: toExpression(
      RESOURCE,
      path.replace(/^name(?=\.|$)/, `name.${nameAt}`).replace(/\[(\d+)\]/g, '.$1'),
    ),
    message,
  }));
}

function nonEmpty<K extends string, T>(key: K, values: readonly T[] | undefined): { [P in K]?: T[] } {
  return (values?.length ? { [key]: [...values] } : {}) as { [P in K]?: T[] };
}
