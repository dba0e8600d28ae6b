import type { HumanName } from 'fhir/r4';
import {
  PatientCreateDto,
  PatientFhirElements,
  PatientPageDto,
  PatientRecord,
  PatientResponseDto,
} from './dto/patient.dto';
import { normaliseForSearch, searchPrefixes } from './normalise';
import { identifierKey, PatientFields } from './patients.repository';
import { PatientDocument } from './patients.schema';

export function mapPatient(document: PatientDocument): PatientRecord {
  const elements = document.fhirElements ?? {};
  return {
    id: document._id,
    identifier: document.identifier ?? [],
    name: document.name,
    birthDate: document.birthDate,
    gender: document.gender,
    telecom: document.telecom ?? [],
    address: document.address ?? [],
    version: document.version,
    createdAt: document.createdAt.toISOString(),
    updatedAt: document.updatedAt.toISOString(),
    ...(Object.keys(elements).length > 0 ? { fhirElements: elements } : {}),
  };
}

/** A patient as the REST API shows it: the FHIR-only elements stay on the FHIR face. */
export function toRestPatient(record: PatientRecord): PatientResponseDto {
  const { id, identifier, name, birthDate, gender, telecom, address, version, createdAt, updatedAt } = record;
  return { id, identifier, name, birthDate, gender, telecom, address, version, createdAt, updatedAt };
}

export function toRestPage({ items, next }: PatientPageDto): PatientPageDto {
  return { items: items.map(toRestPatient), ...(next !== undefined ? { next } : {}) };
}

/**
 * The stored fields of a validated patient, with the normalised copies search uses: starts-with search
 * matches every name the patient has (the record's and the FHIR face's others), `nameNorm` is the record's.
 */
export function toPatientFields(dto: PatientCreateDto, elements: PatientFhirElements = {}): PatientFields {
  const name = { ...dto.name, given: dto.name.given ?? [], prefix: dto.name.prefix ?? [] };
  const names: HumanName[] = [...(elements.namesBefore ?? []), name, ...(elements.namesAfter ?? [])];
  const families = names.flatMap(({ family }) => (family ? [normaliseForSearch(family)] : []));
  const givens = names.flatMap(({ given }) => (given ?? []).map(normaliseForSearch));
  const identifier = dto.identifier ?? [];
  // A JSON round trip drops the DTO's undefined properties, which the driver would store as null.
  return JSON.parse(
    JSON.stringify({
      identifier,
      // Absent when there is none: the unique index on it skips absent fields, not empty arrays.
      identifierKeys: identifier.length > 0 ? [...new Set(identifier.map(identifierKey))] : undefined,
      name,
      nameNorm: { family: normaliseForSearch(name.family), given: name.given.map(normaliseForSearch) },
      familyPrefixes: searchPrefixes(families),
      givenPrefixes: searchPrefixes(givens),
      birthDate: dto.birthDate,
      gender: dto.gender,
      telecom: dto.telecom ?? [],
      address: dto.address ?? [],
      fhirElements: elements,
    }),
  ) as PatientFields;
}

/** The writable part of a patient, as a merge patch applies to it. */
export function writablePatient(dto: PatientResponseDto): Record<string, unknown> {
  const { identifier, name, birthDate, gender, telecom, address } = dto;
  return JSON.parse(JSON.stringify({ identifier, name, birthDate, gender, telecom, address })) as Record<
    string,
    unknown
  >;
}
