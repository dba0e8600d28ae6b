import type { CodeableConcept, Coding } from 'fhir/r4';
import {
  CodingDto,
  ReferenceRangeDto,
  TestResultCreateDto,
  TestResultObservation,
  TestResultResponseDto,
} from './dto/test-result.dto';
import { ObservationContent } from './test-results.keys';
import { TestResultDocument } from './test-results.schema';

/**
 * The Observation elements the REST shape expresses: a REST write replaces exactly these and keeps the
 * others (category, component, identifier, device, encounter, bodySite, ...), which it cannot see.
 */
const REST_ELEMENTS = [
  'code',
  'status',
  'subject',
  'effectiveDateTime',
  'effectivePeriod',
  'effectiveInstant',
  'effectiveTiming',
  'issued',
  'performer',
  'valueQuantity',
  'valueCodeableConcept',
  'valueString',
  'valueBoolean',
  'valueInteger',
  'valueRange',
  'valueRatio',
  'valueSampledData',
  'valueTime',
  'valueDateTime',
  'valuePeriod',
  'dataAbsentReason',
  'interpretation',
  'note',
  'referenceRange',
] as const;

/** A stored result in the REST shape: the first coding of each concept, the effective start, plain strings. */
export function mapTestResult(document: TestResultDocument): TestResultResponseDto {
  const observation = document.observation;
  return withoutEmpty({
    id: document._id,
    patientId: document.patientId,
    code: firstCoding(observation.code) as CodingDto,
    valueQuantity: observation.valueQuantity as TestResultResponseDto['valueQuantity'],
    valueString: observation.valueString,
    valueCoding: firstCoding(observation.valueCodeableConcept),
    referenceRange: observation.referenceRange?.map(
      ({ low, high, text }) => withoutEmpty({ low, high, text }) as ReferenceRangeDto,
    ),
    interpretation: observation.interpretation?.flatMap((concept) => (concept.coding ?? []) as CodingDto[]),
    status: observation.status,
    effectiveDateTime: document.effectiveStart.toISOString(),
    issued: observation.issued && new Date(observation.issued).toISOString(),
    performer: observation.performer?.flatMap((reference) => reference.display ?? reference.reference ?? []),
    note: observation.note?.map((annotation) => annotation.text).join('\n'),
    version: document.version,
    createdAt: document.createdAt.toISOString(),
    updatedAt: document.updatedAt.toISOString(),
  });
}

/**
 * A REST result as the Observation it describes, over `current` (the stored one, on a replace): the REST
 * elements come from the DTO, every other element of `current` is kept.
 */
export function toObservationContent(
  dto: TestResultCreateDto,
  patientId: string,
  current?: ObservationContent,
): ObservationContent {
  const plain = JSON.parse(JSON.stringify(dto)) as TestResultCreateDto;
  const kept = Object.fromEntries(
    Object.entries(current ?? {}).filter(
      ([element]) => !(REST_ELEMENTS as readonly string[]).includes(element),
    ),
  );
  return withoutEmpty({
    ...kept,
    status: plain.status,
    code: concept(plain.code),
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: new Date(plain.effectiveDateTime).toISOString(),
    issued: plain.issued === undefined ? undefined : new Date(plain.issued).toISOString(),
    performer: plain.performer?.map((display) => ({ display })),
    valueQuantity: plain.valueQuantity,
    valueCodeableConcept: plain.valueCoding && concept(plain.valueCoding),
    valueString: plain.valueString,
    interpretation: plain.interpretation?.map(concept),
    note: plain.note === undefined ? undefined : [{ text: plain.note }],
    referenceRange: plain.referenceRange,
  });
}

function concept(coding: Coding): CodeableConcept {
  return { coding: [coding] };
}

function firstCoding(concept: CodeableConcept | undefined): CodingDto | undefined {
  const coding = concept?.coding?.find((candidate) => candidate.code !== undefined);
  return (
    coding &&
    (withoutEmpty({ system: coding.system, code: coding.code, display: coding.display }) as CodingDto)
  );
}

function withoutEmpty<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== undefined && field !== null),
  ) as T;
}

/** A stored result as the Observation it is, with its record's id, patient, version and update time. */
export function toTestResultObservation(document: TestResultDocument): TestResultObservation {
  return {
    id: document._id,
    patientId: document.patientId,
    version: document.version,
    updatedAt: document.updatedAt.toISOString(),
    observation: document.observation,
  };
}
