import { TestResultCreateDto, TestResultResponseDto } from './dto/test-result.dto';
import { TestResultFields } from './test-results.repository';
import { TestResultDocument } from './test-results.schema';

export function mapTestResult(document: TestResultDocument): TestResultResponseDto {
  return withoutEmpty({
    id: document._id,
    patientId: document.patientId,
    code: document.code,
    valueQuantity: document.valueQuantity,
    valueString: document.valueString,
    valueCoding: document.valueCoding,
    referenceRange: document.referenceRange,
    interpretation: document.interpretation,
    status: document.status,
    effectiveDateTime: document.effectiveDateTime.toISOString(),
    issued: document.issued?.toISOString(),
    performer: document.performer,
    note: document.note,
    version: document.version,
    createdAt: document.createdAt.toISOString(),
    updatedAt: document.updatedAt.toISOString(),
  });
}

export function toTestResultFields(dto: TestResultCreateDto): TestResultFields {
  const plain = JSON.parse(JSON.stringify(dto)) as TestResultCreateDto;
  return {
    code: plain.code,
    valueQuantity: plain.valueQuantity,
    valueString: plain.valueString,
    valueCoding: plain.valueCoding,
    referenceRange: plain.referenceRange,
    interpretation: plain.interpretation,
    status: plain.status,
    effectiveDateTime: new Date(plain.effectiveDateTime),
    issued: plain.issued !== undefined ? new Date(plain.issued) : undefined,
    performer: plain.performer,
    note: plain.note,
  };
}

function withoutEmpty<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== undefined && field !== null),
  ) as T;
}
