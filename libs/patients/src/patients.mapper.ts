import { PatientCreateDto, PatientResponseDto } from './dto/patient.dto';
import { normaliseForSearch, searchPrefixes } from './normalise';
import { identifierKey, PatientFields } from './patients.repository';
import { PatientDocument } from './patients.schema';

export function mapPatient(document: PatientDocument): PatientResponseDto {
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
  };
}

/** The stored fields of a validated patient, with the normalised copies search uses. */
export function toPatientFields(dto: PatientCreateDto): PatientFields {
  const name = { family: dto.name.family, given: dto.name.given ?? [], prefix: dto.name.prefix ?? [] };
  const identifier = (dto.identifier ?? []).map(({ system, value }) => ({ system, value }));
  // A JSON round trip drops the DTO's undefined properties, which the driver would store as null.
  return JSON.parse(
    JSON.stringify({
      identifier,
      identifierKeys: identifier.map(identifierKey),
      name,
      nameNorm: { family: normaliseForSearch(name.family), given: name.given.map(normaliseForSearch) },
      familyPrefixes: searchPrefixes([normaliseForSearch(name.family)]),
      givenPrefixes: searchPrefixes(name.given.map(normaliseForSearch)),
      birthDate: dto.birthDate,
      gender: dto.gender,
      telecom: (dto.telecom ?? []).map(({ system, value, use }) => ({
        system,
        value,
        ...(use ? { use } : {}),
      })),
      address: dto.address ?? [],
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
