import type { Patient } from 'fhir/r4';
import {
  isValidNhsNumber,
  NHS_NUMBER_SYSTEM,
  PatientCreateDto,
  PatientResponseDto,
  validateDto,
} from '@hdp/patients';
import { DomainError, FieldIssue } from '@hdp/platform';
import { ElementShape, FhirValidationError, toExpression, unsupportedElements } from '../fhir-validation';

const RESOURCE = 'Patient';

/** What a FHIR Patient may carry here: exactly what a patient record holds. Server-assigned `id`/`meta` are ignored. */
const PATIENT_SHAPE: ElementShape = {
  resourceType: true,
  id: true,
  meta: { versionId: true, lastUpdated: true },
  identifier: [{ system: true, value: true }],
  name: [{ family: true, given: true, prefix: true }],
  telecom: [{ system: true, value: true, use: true }],
  gender: true,
  birthDate: true,
  address: [{ line: true, city: true, district: true, postalCode: true, country: true }],
};

/** A patient record as a FHIR R4 Patient; `meta.versionId` is the record's version. */
export function toFhirPatient(patient: PatientResponseDto): Patient {
  const given = patient.name.given?.length ? { given: patient.name.given } : {};
  const prefix = patient.name.prefix?.length ? { prefix: patient.name.prefix } : {};
  return {
    resourceType: RESOURCE,
    id: patient.id,
    meta: { versionId: String(patient.version), lastUpdated: patient.updatedAt },
    ...nonEmpty('identifier', patient.identifier),
    name: [{ family: patient.name.family, ...given, ...prefix }],
    ...nonEmpty('telecom', patient.telecom),
    gender: patient.gender,
    birthDate: patient.birthDate,
    ...nonEmpty('address', patient.address),
  };
}

/**
 * A FHIR Patient as the patient record it describes. Throws FhirValidationError (422) naming each element
 * the record cannot hold or that breaks its rules (NHS numbers checked here too, so the refusal is a 422 the
 * ledger records as such), by FHIRPath expression and never by value.
 */
export async function fromFhirPatient(resource: unknown): Promise<PatientCreateDto> {
  const structural = unsupportedElements(resource, PATIENT_SHAPE, RESOURCE);
  if (structural.length > 0) throw new FhirValidationError(structural);
  const patient = resource as Patient;
  if ((patient.resourceType as string) !== RESOURCE)
    throw new FhirValidationError([{ path: `${RESOURCE}.resourceType`, message: 'must be Patient' }]);
  if (patient.name?.length !== 1)
    throw new FhirValidationError([{ path: `${RESOURCE}.name`, message: 'exactly one name is held here' }]);
  const { identifier, name, telecom, gender, birthDate, address } = patient;
  const record = JSON.parse(
    JSON.stringify({ identifier, name: name[0], telecom, gender, birthDate, address }),
  ) as unknown;
  const dto = await validateDto(PatientCreateDto, record).catch((error: unknown) => {
    throw error instanceof DomainError ? new FhirValidationError(fhirIssues(error.issues)) : error;
  });
  const badNhsNumbers = (dto.identifier ?? []).flatMap(({ system, value }, index) =>
    system === NHS_NUMBER_SYSTEM && !isValidNhsNumber(value)
      ? [
          {
            path: `${RESOURCE}.identifier[${index}].value`,
            message: 'not a valid NHS number (modulus-11 check)',
          },
        ]
      : [],
  );
  if (badNhsNumbers.length > 0) throw new FhirValidationError(badNhsNumbers);
  return dto;
}

/** Issues the patients lib's validation raised, re-pointed at the FHIR element they concern. */
function fhirIssues(issues: readonly FieldIssue[]): FieldIssue[] {
  return issues.map(({ path, message }) => ({
    path: toExpression(RESOURCE, path.replace(/^name(?=\.|$)/, 'name.0').replace(/\[(\d+)\]/g, '.$1')),
    message,
  }));
}

function nonEmpty<K extends string, T>(key: K, values: readonly T[] | undefined): { [P in K]?: T[] } {
  return (values?.length ? { [key]: [...values] } : {}) as { [P in K]?: T[] };
}
