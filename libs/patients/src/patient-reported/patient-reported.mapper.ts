import type { Coding, MedicationStatement, Observation, Quantity } from 'fhir/r4';
import { MedicationDoseCreateDto, MedicationDoseResponseDto } from './dto/medication-dose.dto';
import { MeasurementCreateDto, MeasurementResponseDto } from './dto/measurement.dto';
import { LOINC, ReportedMeasurement, UCUM } from './measurement-catalogue';
import { NewReportedRecord } from './patient-reported.repository';
import { PatientReportedRecord, ReportedKind } from './patient-reported.schema';

export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
/** The provenance mark on everything a patient reports (`meta.tag`); its author is also the Patient. */
export const PATIENT_REPORTED_TAG: Coding = {
  system: 'https://hdp.example.org/fhir/CodeSystem/provenance',
  code: 'patient-reported',
  display: 'Reported by the patient',
};
const SURVEY: Coding = { system: OBSERVATION_CATEGORY, code: 'survey', display: 'Survey' };

type ReportedObservation = Omit<Observation, 'resourceType' | 'id'>;
type ReportedStatement = Omit<MedicationStatement, 'resourceType' | 'id'>;

/** A patient-reported record as the FHIR resource it is, with its record's metadata (for the FHIR face). */
export interface ReportedResource<K extends ReportedKind = ReportedKind> {
  readonly id: string;
  readonly patientId: string;
  readonly version: number;
  readonly updatedAt: string;
  readonly resource: K extends 'Observation' ? ReportedObservation : ReportedStatement;
}

/** A checked measurement as the survey Observation it is, with the values a summary groups. */
export function measurementRecord(
  dto: MeasurementCreateDto,
  measurement: ReportedMeasurement,
  patientId: string,
  at: Date,
): NewReportedRecord {
  const patient = { reference: `Patient/${patientId}` };
  const components = (measurement.components ?? []).map((expected) => ({
    expected,
    value: dto.components!.find(({ code }) => code === expected.code)!.value,
  }));
  const resource: ReportedObservation = {
    meta: { tag: [PATIENT_REPORTED_TAG] },
    status: 'final',
    category: [{ coding: [SURVEY] }],
    code: { coding: [{ system: LOINC, code: measurement.code, display: measurement.display }] },
    subject: patient,
    effectiveDateTime: at.toISOString(),
    issued: new Date().toISOString(),
    performer: [patient],
    ...(measurement.value
      ? { valueQuantity: quantity(dto.value!, measurement.value.unit) }
      : {
          component: components.map(({ expected, value }) => ({
            code: { coding: [{ system: LOINC, code: expected.code, display: expected.display }] },
            valueQuantity: quantity(value, expected.unit),
          })),
        }),
  };
  const samples = measurement.value
    ? { [measurement.value.sample]: dto.value! }
    : Object.fromEntries(components.map(({ expected, value }) => [expected.sample, value]));
  return { kind: 'Observation', resource, code: measurement.code, effectiveAt: at, samples };
}

/** A dose taken as the MedicationStatement (status completed) it is, asserted by the patient. */
export function doseRecord(dto: MedicationDoseCreateDto, patientId: string, at: Date): NewReportedRecord {
  const patient = { reference: `Patient/${patientId}` };
  const { system, code, display } = dto.medication;
  const resource: ReportedStatement = {
    meta: { tag: [PATIENT_REPORTED_TAG] },
    status: 'completed',
    medicationCodeableConcept: { coding: [{ system, code, ...(display ? { display } : {}) }] },
    subject: patient,
    effectiveDateTime: at.toISOString(),
    dateAsserted: new Date().toISOString(),
    informationSource: patient,
    dosage: [{ doseAndRate: [{ doseQuantity: quantity(dto.dose.value, dto.dose.unit) }] }],
  };
  return { kind: 'MedicationStatement', resource, code, effectiveAt: at };
}

export function toMeasurementResponse(record: PatientReportedRecord): MeasurementResponseDto {
  const observation = record.resource as ReportedObservation;
  const coding = observation.code.coding![0];
  return {
    ...common(record),
    code: coding.code!,
    display: coding.display!,
    ...(observation.valueQuantity
      ? { value: observation.valueQuantity.value, unit: observation.valueQuantity.code }
      : {
          components: (observation.component ?? []).map((component) => ({
            code: component.code.coding![0].code!,
            display: component.code.coding![0].display!,
            value: component.valueQuantity!.value!,
            unit: component.valueQuantity!.code!,
          })),
        }),
    effectiveDateTime: record.effectiveAt.toISOString(),
    category: 'survey',
  };
}

export function toDoseResponse(record: PatientReportedRecord): MedicationDoseResponseDto {
  const statement = record.resource as ReportedStatement;
  const { system, code, display } = statement.medicationCodeableConcept!.coding![0];
  const dose = statement.dosage![0].doseAndRate![0].doseQuantity!;
  return {
    ...common(record),
    medication: { system: system!, code: code!, ...(display ? { display } : {}) },
    dose: { value: dose.value!, unit: dose.code! },
    takenAt: record.effectiveAt.toISOString(),
  };
}

export function toReportedResource<K extends ReportedKind>(
  record: PatientReportedRecord,
): ReportedResource<K> {
  return {
    id: record._id,
    patientId: record.patientId,
    version: record.version,
    updatedAt: record.updatedAt.toISOString(),
    resource: record.resource as ReportedResource<K>['resource'],
  };
}

function common(record: PatientReportedRecord) {
  return {
    id: record._id,
    patientId: record.patientId,
    reportedBy: `Patient/${record.patientId}`,
    version: record.version,
    createdAt: record.createdAt.toISOString(),
  };
}

function quantity(value: number, unit: string): Quantity {
  return { value, unit, system: UCUM, code: unit };
}
