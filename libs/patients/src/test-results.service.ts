import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Identifier } from 'fhir/r4';
import { AuditAction, AuditDraft, AuditLedgerService } from '@hdp/audit';
import { decodeCursor, encodeCursor, InvalidInputError, isRecordId } from '@hdp/platform';
import {
  TestResultCreateDto,
  TestResultObservation,
  TestResultPageDto,
  TestResultResponseDto,
  TestResultSearchDto,
} from './dto/test-result.dto';
import { requireIfMatch } from './etag';
import { PatientAccessService } from './patient-access.service';
import { PatientNotFoundError, TestResultNotFoundError, VersionMismatchError } from './patients.errors';
import {
  AmbiguousIdentifierError,
  SubjectChangeError,
  TestResultGoneError,
  UnknownSubjectError,
} from './test-results.errors';
import { identifierKeyOf, ObservationContent, tokenOf } from './test-results.keys';
import { mapTestResult, toObservationContent, toTestResultObservation } from './test-results.mapper';
import {
  NEWEST_FIRST,
  ResultSortKey,
  TestResultFilter,
  TestResultsRepository,
} from './test-results.repository';
import { SortOrder } from './sort-order';
import { TestResultDocument } from './test-results.schema';
import { recordEvent } from './record-event';

const TEST_RESULT = 'TestResult';
const DEFAULT_LIMIT = 20;

/** A search over test results as Observations: the filter, a page size and the previous page's cursor. */
export interface ObservationSearch extends Omit<TestResultFilter, 'after'> {
  readonly limit?: number;
  readonly cursor?: string;
  /** Newest effective time first unless asked otherwise. */
  readonly sort?: SortOrder<ResultSortKey>;
  /** Add the number of matches to the page (`_total=accurate`). */
  readonly count?: boolean;
}

/**
 * Test results, each one FHIR Observation: the REST face (under a patient) and the FHIR face (by id) read
 * and write the same documents. The patient's access rules apply, every interaction is audited.
 */
@Injectable()
export class TestResultsService {
  constructor(
    private readonly repository: TestResultsRepository,
    private readonly access: PatientAccessService,
    private readonly ledger: AuditLedgerService,
  ) {}

  async create(patientId: string, dto: TestResultCreateDto): Promise<TestResultResponseDto> {
    const check = async () => {
      await this.access.requireLivePatient(patientId);
      assertOneValue(dto);
    };
    return mapTestResult(await this.insert(patientId, () => toObservationContent(dto, patientId), check));
  }

  get(patientId: string, id: string): Promise<TestResultResponseDto> {
    return this.ledger.read(this.event(AuditAction.Read, patientId, id), async () =>
      mapTestResult(await this.findAccessible(patientId, id)),
    );
  }

  /** Replaces what the REST shape expresses; the Observation's other elements are kept (see toObservationContent). */
  replace(patientId: string, id: string, dto: TestResultCreateDto, ifMatch?: string) {
    return this.ledger.change(this.event(AuditAction.Update, patientId, id), async (draft) => {
      const current = await this.findAccessible(patientId, id);
      this.access.requireClinicalAuthor();
      requireIfMatch(ifMatch, current.version);
      assertOneValue(dto);
      const content = toObservationContent(dto, patientId, current.observation);
      return this.written(await this.repository.replace(current, content, draft), draft, mapTestResult);
    });
  }

  delete(patientId: string, id: string, ifMatch?: string): Promise<void> {
    return this.ledger.change({ ...this.event(AuditAction.Delete, patientId, id), success: 204 }, (draft) =>
      this.tombstone(this.findAccessible(patientId, id), ifMatch, draft),
    );
  }

  search(patientId: string, query: TestResultSearchDto): Promise<TestResultPageDto> {
    const code = query.code?.includes('|') ? query.code.split('|') : [undefined, query.code];
    const filter = {
      patientId,
      codeTokens: code[1] !== undefined ? [tokenOf(code[0], code[1])] : undefined,
      statuses: query.status && [query.status],
      effective:
        query.from || query.to
          ? [{ start: { ...(query.from && { $gte: query.from }), ...(query.to && { $lt: query.to }) } }]
          : undefined,
    };
    return this.ledger.read(
      this.event(AuditAction.Search, patientId),
      async () => {
        await this.access.requireLivePatient(patientId);
        const page = await this.findPage(filter, query);
        return { items: page.items.map(mapTestResult), next: page.next };
      },
      (page) => page.items.length,
    );
  }

  /** A result by id alone, as its Observation; a deleted one the caller may see raises TestResultGoneError. */
  async readObservation(id: string): Promise<TestResultObservation> {
    const found = isRecordId(id) ? await this.repository.findById(id) : null;
    return this.ledger.read(this.event(AuditAction.Read, found?.patientId, id), () =>
      Promise.resolve(toTestResultObservation(this.requireVisible(found))),
    );
  }

  /**
   * Records an Observation about `patientId`, who must be a live patient the caller may see (else 422).
   * `id`: assigned by the caller when it must know it before the result exists (a FHIR transaction).
   */
  async createObservation(
    patientId: string,
    content: ObservationContent,
    id: string = randomUUID(),
  ): Promise<TestResultObservation> {
    const check = () => this.requireSubject(patientId);
    return toTestResultObservation(await this.insert(patientId, () => content, check, id));
  }

  /** Versioned replace of the whole Observation; it stays with its patient. */
  updateObservation(id: string, patientId: string, content: ObservationContent, ifMatch?: string) {
    return this.changeObservation(id, () => Promise.resolve({ patientId, content }), ifMatch);
  }

  /**
   * Replaces the Observation with what `change` makes of its current version (a patch), as one audited
   * update; If-Match as for `updateObservation`. It stays with its patient.
   */
  async changeObservation(
    id: string,
    change: (current: TestResultObservation) => Promise<{ patientId: string; content: ObservationContent }>,
    ifMatch?: string,
  ): Promise<TestResultObservation> {
    const found = isRecordId(id) ? await this.repository.findById(id) : null;
    return this.ledger.change(this.event(AuditAction.Update, found?.patientId, id), async (draft) => {
      const current = this.requireVisible(found);
      this.access.requireClinicalAuthor();
      requireIfMatch(ifMatch, current.version);
      const { patientId, content } = await change(toTestResultObservation(current));
      if (current.patientId !== patientId) throw new SubjectChangeError();
      const updated = await this.repository.replace(current, content, draft);
      return this.written(updated, draft, toTestResultObservation);
    });
  }

  async deleteObservation(id: string, ifMatch?: string): Promise<void> {
    const found = isRecordId(id) ? await this.repository.findById(id) : null;
    const event = { ...this.event(AuditAction.Delete, found?.patientId, id), success: 204 };
    return this.ledger.change(event, (draft) =>
      this.tombstone(Promise.resolve(this.requireVisible(found)), ifMatch, draft),
    );
  }

  /**
   * Sets an Observation back to `content`, a past version of it, bringing it back when it is deleted, as one
   * audited update: a FHIR transaction undoing its update or deletion. Its patient must still be live.
   */
  async restoreObservation(id: string, content: ObservationContent): Promise<TestResultObservation> {
    const found = isRecordId(id) ? await this.repository.findById(id) : null;
    return this.ledger.change(this.event(AuditAction.Update, found?.patientId, id), async (draft) => {
      if (!found) throw new TestResultNotFoundError();
      await this.access.requireLivePatient(found.patientId);
      this.access.requireClinicalAuthor();
      const restored = found.deleted
        ? await this.repository.revive(found, content, draft)
        : await this.repository.replace(found, content, draft);
      return this.written(restored, draft, toTestResultObservation);
    });
  }

  /** Observations across patients (only the caller's own when confined to a compartment), newest first. */
  searchObservations(search: ObservationSearch) {
    return this.ledger.read(
      this.event(AuditAction.Search, search.patientId),
      async () => {
        const patientId = this.access.searchablePatient(search.patientId);
        if (patientId === null)
          return {
            items: [] as TestResultObservation[],
            next: undefined,
            ...(search.count ? { total: 0 } : {}),
          };
        const filter = { ...search, patientId };
        const page = await this.findPage(filter, search, search.sort);
        const total = search.count ? await this.repository.count(filter) : undefined;
        return { items: page.items.map(toTestResultObservation), next: page.next, total };
      },
      (page) => page.items.length,
    );
  }

  /** How many Observations a search matches (`_summary=count`), audited as a search. */
  countObservations(search: ObservationSearch): Promise<number> {
    return this.ledger.read(
      this.event(AuditAction.Search, search.patientId),
      async () => {
        const patientId = this.access.searchablePatient(search.patientId);
        return patientId === null ? 0 : this.repository.count({ ...search, patientId });
      },
      (total) => total,
    );
  }

  /** The live result holding `identifier`, as its Observation; undefined when none does, 412 when several do. */
  async readObservationByIdentifier(identifier: Identifier): Promise<TestResultObservation | undefined> {
    const matches = await this.repository.findByIdentifier(identifierKeyOf(identifier), 2);
    if (matches.length > 1) throw new AmbiguousIdentifierError();
    if (matches.length === 0) return undefined;
    const [found] = matches;
    return this.ledger.read(this.event(AuditAction.Read, found.patientId, found._id), () =>
      Promise.resolve(toTestResultObservation(this.requireVisible(found))),
    );
  }

  private insert(
    patientId: string,
    content: () => ObservationContent,
    check: () => Promise<unknown>,
    id: string = randomUUID(),
  ): Promise<TestResultDocument> {
    const event = { ...this.event(AuditAction.Create, patientId), resourceId: id, success: 201 };
    return this.ledger.change(event, async (draft) => {
      await check();
      this.access.requireClinicalAuthor();
      const created = await this.repository.insert(id, patientId, content(), draft);
      return { value: created, settle: () => this.repository.intents.clearLater(id, draft) };
    });
  }

  private written<T>(
    updated: TestResultDocument | null,
    draft: AuditDraft,
    map: (document: TestResultDocument) => T,
  ) {
    if (!updated) throw new VersionMismatchError();
    return { value: map(updated), settle: () => this.repository.intents.clearLater(updated._id, draft) };
  }

  private async tombstone(
    found: Promise<TestResultDocument>,
    ifMatch: string | undefined,
    draft: AuditDraft,
  ) {
    const current = await found;
    this.access.requireClinicalAuthor();
    requireIfMatch(ifMatch, current.version);
    if (!(await this.repository.markDeleted(current, draft))) throw new VersionMismatchError();
    return { value: undefined, settle: () => this.repository.intents.clearLater(current._id, draft) };
  }

  private async findPage(
    filter: TestResultFilter,
    page: { limit?: number; cursor?: string },
    sort: SortOrder<ResultSortKey> = NEWEST_FIRST,
  ) {
    const limit = page.limit ?? DEFAULT_LIMIT;
    // Both sort keys are times: a cursor is the last result's time in the sort and its id, whatever the sort.
    const after = page.cursor ? decodeCursor(page.cursor, { at: 'number', id: 'string' }) : undefined;
    const found = await this.repository.search(
      { ...filter, after: after && { value: new Date(after.at), id: after.id } },
      limit + 1,
      sort,
    );
    const items = found.slice(0, limit);
    const last = items.at(-1);
    const next =
      found.length > limit && last ? encodeCursor({ at: last[sort.key].getTime(), id: last._id }) : undefined;
    return { items, next };
  }

  private async findAccessible(patientId: string, id: string) {
    await this.access.requireLivePatient(patientId);
    const result = isRecordId(id) ? await this.repository.findLive(patientId, id) : null;
    if (!result) throw new TestResultNotFoundError();
    return result;
  }

  /** Found and inside the caller's compartment (else "not found"); deleted: TestResultGoneError. */
  private requireVisible(found: TestResultDocument | null): TestResultDocument {
    if (!found) throw new TestResultNotFoundError();
    try {
      this.access.requireAccess(found.patientId);
    } catch (error) {
      throw error instanceof PatientNotFoundError ? new TestResultNotFoundError() : error;
    }
    if (found.deleted) throw new TestResultGoneError();
    return found;
  }

  private async requireSubject(patientId: string): Promise<void> {
    try {
      await this.access.requireLivePatient(patientId);
    } catch (error) {
      throw error instanceof PatientNotFoundError ? new UnknownSubjectError() : error;
    }
  }

  private event(action: AuditAction, patientId: string | undefined, id?: string) {
    return recordEvent(action, TEST_RESULT, patientId, id);
  }
}

/** A REST result carries exactly one value: a quantity, a string or a code. */
function assertOneValue(dto: TestResultCreateDto): void {
  const values = [dto.valueQuantity, dto.valueString, dto.valueCoding].filter((value) => value !== undefined);
  if (values.length !== 1) {
    throw new InvalidInputError('The request is invalid.', [
      { path: 'value', message: 'exactly one of valueQuantity, valueString or valueCoding is required' },
    ]);
  }
}
