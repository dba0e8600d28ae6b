import type { MedicationStatement } from 'fhir/r4';
import { MedicationDoseCreateDto, ReportedResource, validateDto } from '@hdp/patients';
import { checkOn, FhirValidationError, unsupportedElements } from '../fhir-validation';
import { asResource, patientIdOf } from '../stored-resource';
import { MEDICATION_STATEMENT_SHAPE } from './medication-statement-shape';

const RESOURCE = 'MedicationStatement';
const check = checkOn(RESOURCE);

/** A dose taken, as the patient it is about and the dose in the REST shape. */
export interface DoseStatementInput {
  readonly patientId: string;
  readonly dose: MedicationDoseCreateDto;
}

/** A stored dose as a FHIR R4 MedicationStatement; `meta.versionId` is the record's version. */
export function toFhirMedicationStatement(
  record: ReportedResource<'MedicationStatement'>,
): MedicationStatement {
  return asResource(RESOURCE, record, record.resource);
}

/**
 * A FHIR MedicationStatement as the dose it records: status `completed` (taken), one coded medication,
 * the patient as subject, when it was taken, one dosage with one dose quantity. Structural problems are
 * 422s; the values then follow the REST rules (400s naming the element).
 */
export async function fromFhirMedicationStatement(resource: unknown): Promise<DoseStatementInput> {
  const structural = unsupportedElements(resource, MEDICATION_STATEMENT_SHAPE, RESOURCE);
  if (structural.length > 0) throw new FhirValidationError(structural);
  const statement = resource as MedicationStatement;
  const codings = statement.medicationCodeableConcept?.coding ?? [];
  const dosage = statement.dosage ?? [];
  const quantity = dosage[0]?.doseAndRate?.[0]?.doseQuantity;
  const issues = [
    ...check((statement.resourceType as string) === RESOURCE, 'resourceType', 'must be MedicationStatement'),
    ...check(statement.status === 'completed', 'status', 'must be completed: a dose that was taken'),
    ...check(codings.length === 1, 'medicationCodeableConcept', 'must have exactly one coding'),
    ...check(
      patientIdOf(statement.subject) !== undefined,
      'subject',
      'must reference a Patient by id (Patient/{id})',
    ),
    ...check(
      statement.effectiveDateTime !== undefined,
      'effectiveDateTime',
      'is required: when it was taken',
    ),
    ...check(
      dosage.length === 1 && dosage[0].doseAndRate?.length === 1 && quantity !== undefined,
      'dosage',
      'must be one dosage with one doseAndRate.doseQuantity',
    ),
  ];
  if (issues.length > 0) throw new FhirValidationError(issues);
  const [{ system, code, display }] = codings;
  const dose = await validateDto(MedicationDoseCreateDto, {
    medication: { system, code, ...(display === undefined ? {} : { display }) },
    dose: { value: quantity!.value, unit: quantity!.code ?? quantity!.unit },
    takenAt: statement.effectiveDateTime,
  });
  return { patientId: patientIdOf(statement.subject)!, dose };
}
