import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditAction, AuditLedgerService } from '@hdp/audit';
import { decodeCursor, encodeCursor, InvalidInputError, isRecordId } from '@hdp/platform';
import {
  TestResultCreateDto,
  TestResultPageDto,
  TestResultResponseDto,
  TestResultSearchDto,
} from './dto/test-result.dto';
import { requireIfMatch } from './etag';
import { PatientAccessService } from './patient-access.service';
import { TestResultNotFoundError, VersionMismatchError } from './patients.errors';
import { mapTestResult, toTestResultFields } from './test-results.mapper';
import { TestResultsRepository } from './test-results.repository';

const TEST_RESULT = 'TestResult';
const DEFAULT_LIMIT = 20;

/** A patient's test results: the patient's access rules apply, every interaction is audited. */
@Injectable()
export class TestResultsService {
  constructor(
    private readonly repository: TestResultsRepository,
    private readonly access: PatientAccessService,
    private readonly ledger: AuditLedgerService,
  ) {}

  create(patientId: string, dto: TestResultCreateDto): Promise<TestResultResponseDto> {
    const id = randomUUID();
    const event = { ...this.event(AuditAction.Create, patientId), resourceId: id, success: 201 };
    return this.ledger.change(event, async (draft) => {
      await this.access.requireLivePatient(patientId);
      assertOneValue(dto);
      const created = await this.repository.insert(id, patientId, toTestResultFields(dto), draft);
      return { value: mapTestResult(created), settle: () => this.repository.intents.clearLater(id, draft) };
    });
  }

  get(patientId: string, id: string): Promise<TestResultResponseDto> {
    return this.ledger.read(this.event(AuditAction.Read, patientId, id), async () =>
      mapTestResult(await this.findAccessible(patientId, id)),
    );
  }

  replace(
    patientId: string,
    id: string,
    dto: TestResultCreateDto,
    ifMatch?: string,
  ): Promise<TestResultResponseDto> {
    return this.ledger.change(this.event(AuditAction.Update, patientId, id), async (draft) => {
      const current = await this.findAccessible(patientId, id);
      requireIfMatch(ifMatch, current.version);
      assertOneValue(dto);
      const updated = await this.repository.replace(id, current.version, toTestResultFields(dto), draft);
      if (!updated) throw new VersionMismatchError();
      return { value: mapTestResult(updated), settle: () => this.repository.intents.clearLater(id, draft) };
    });
  }

  delete(patientId: string, id: string, ifMatch?: string): Promise<void> {
    return this.ledger.change(
      { ...this.event(AuditAction.Delete, patientId, id), success: 204 },
      async (draft) => {
        const current = await this.findAccessible(patientId, id);
        requireIfMatch(ifMatch, current.version);
        if (!(await this.repository.markDeleted(id, current.version, draft)))
          throw new VersionMismatchError();
        return { value: undefined, settle: () => this.repository.intents.clearLater(id, draft) };
      },
    );
  }

  search(patientId: string, query: TestResultSearchDto): Promise<TestResultPageDto> {
    const event = this.event(AuditAction.Search, patientId);
    return this.ledger.read(
      event,
      () => this.findPage(patientId, query),
      (page) => page.items.length,
    );
  }

  private async findPage(patientId: string, query: TestResultSearchDto): Promise<TestResultPageDto> {
    await this.access.requireLivePatient(patientId);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = query.cursor ? decodeCursor(query.cursor, { at: 'number', id: 'string' }) : undefined;
    const code = query.code?.includes('|') ? query.code.split('|') : [undefined, query.code];
    const found = await this.repository.search(
      {
        patientId,
        code: code[1] !== undefined ? { system: code[0], code: code[1] } : undefined,
        status: query.status,
        from: query.from,
        to: query.to,
        after: after && { effective: new Date(after.at), id: after.id },
      },
      limit + 1,
    );
    const items = found.slice(0, limit);
    const last = items.at(-1);
    const next =
      found.length > limit && last
        ? encodeCursor({ at: last.effectiveDateTime.getTime(), id: last._id })
        : undefined;
    return { items: items.map(mapTestResult), next };
  }

  private async findAccessible(patientId: string, id: string) {
    await this.access.requireLivePatient(patientId);
    const result = isRecordId(id) ? await this.repository.findLive(patientId, id) : null;
    if (!result) throw new TestResultNotFoundError();
    return result;
  }

  private event(action: AuditAction, patientId: string, id?: string) {
    const safe = (value?: string) => (isRecordId(value) ? value : undefined);
    return { action, resourceType: TEST_RESULT, resourceId: safe(id), patientId: safe(patientId) };
  }
}

/** A result carries exactly one value: a quantity, a string or a code. */
function assertOneValue(dto: TestResultCreateDto): void {
  const values = [dto.valueQuantity, dto.valueString, dto.valueCoding].filter((value) => value !== undefined);
  if (values.length !== 1) {
    throw new InvalidInputError('The request is invalid.', [
      { path: 'value', message: 'exactly one of valueQuantity, valueString or valueCoding is required' },
    ]);
  }
}
