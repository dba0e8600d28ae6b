import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditAction, AuditDraft, AuditLedgerService } from '@hdp/audit';
import { decodeCursor, encodeCursor, InvalidInputError, isRecordId, PageQueryDto } from '@hdp/platform';
import {
  IdentifierDto,
  PatientFhirElements,
  PatientPageDto,
  PatientRecord,
  PatientSearchDto,
  PatientUpdateDto,
} from './dto/patient.dto';
import { requireIfMatch } from './etag';
import { FIRST_LEVEL, MAX_LEVEL, readByBuckets } from './id-buckets';
import { applyMergePatch } from './merge-patch';
import { isValidNhsNumber, NHS_NUMBER_SYSTEM } from './nhs-number';
import { normaliseForSearch } from './normalise';
import { PatientAccessService } from './patient-access.service';
import { PatientDeletionCascade } from './patient-deletion-cascade';
import { PatientIdentifierClaimsService } from './patient-identifier-claims.service';
import { PatientGoneError, PatientNotFoundError, VersionMismatchError } from './patients.errors';
import { mapPatient, toPatientFields, writablePatient } from './patients.mapper';
import { PatientCriteria, PatientFields, PatientSortKey, PatientsRepository } from './patients.repository';
import { PatientDocument } from './patients.schema';
import { TestResultsRepository } from './test-results.repository';
import { decodeSortCursor, encodeSortCursor, SortOrder } from './sort-order';
import { validateDto } from './validate-dto';

const PATIENT = 'Patient';
const DEFAULT_LIMIT = 20;

/** A patient as a change writes it; without `fhirElements` (a REST write) the stored ones are kept. */
export interface PatientChange {
  readonly record: PatientUpdateDto;
  readonly fhirElements?: PatientFhirElements;
}

/** A page of patient records (the REST face shows them without their FHIR-only elements). */
export interface PatientRecordPage extends PatientPageDto {
  items: PatientRecord[];
}

/** A page of a criteria search: size, cursor, an optional sort, and whether to count every match. */
export interface PatientCriteriaPage extends PageQueryDto {
  readonly sort?: SortOrder<PatientSortKey>;
  readonly count?: boolean;
}

export interface PatientCriteriaResult extends PatientRecordPage {
  readonly total?: number;
}

/** Patient records: access, validation beyond the DTOs, and an audit entry for every interaction. */
@Injectable()
export class PatientsService {
  constructor(
    private readonly repository: PatientsRepository,
    private readonly results: TestResultsRepository,
    private readonly claims: PatientIdentifierClaimsService,
    private readonly access: PatientAccessService,
    private readonly ledger: AuditLedgerService,
    private readonly cascade: PatientDeletionCascade,
  ) {}

  /**
   * `id`: assigned by the caller when it must know it before the patient exists (a FHIR transaction);
   * `fhirElements`: what the FHIR face received beyond the REST fields.
   */
  create(
    dto: PatientUpdateDto,
    id: string = randomUUID(),
    fhirElements?: PatientFhirElements,
  ): Promise<PatientRecord> {
    const event = {
      action: AuditAction.Create,
      resourceType: PATIENT,
      resourceId: id,
      patientId: id,
      success: 201,
    };
    return this.ledger.change(event, async (draft) => {
      this.access.requireCreate();
      assertValidIdentifiers(dto.identifier);
      // Everything that can refuse the input runs before the identifiers are claimed.
      const fields = toPatientFields(dto, fhirElements);
      await this.claims.claim(id, dto.identifier);
      const created = await this.insertOrRelease(id, fields, draft);
      return { value: mapPatient(created), settle: () => this.repository.intents.clearLater(id, draft) };
    });
  }

  private async insertOrRelease(id: string, fields: PatientFields, draft: AuditDraft) {
    try {
      return await this.repository.insert(id, fields, draft);
    } catch (error) {
      await this.claims.releaseDropped(id, fields.identifier, []);
      throw error;
    }
  }

  /** `reportDeleted`: a deleted patient the caller may see raises PatientGoneError rather than "not found". */
  get(id: string, options: { reportDeleted?: boolean } = {}): Promise<PatientRecord> {
    return this.ledger.read(this.event(AuditAction.Read, id), async () => {
      try {
        return mapPatient(await this.access.requireLivePatient(id));
      } catch (error) {
        if (options.reportDeleted && error instanceof PatientNotFoundError) await this.requireNotDeleted(id);
        throw error;
      }
    });
  }

  private async requireNotDeleted(id: string): Promise<void> {
    this.access.requireAccess(id);
    if (isRecordId(id) && (await this.repository.isDeleted(id))) throw new PatientGoneError();
  }

  /** Without `fhirElements` (a REST replace) the FHIR-only elements and other names are kept as they are. */
  replace(
    id: string,
    dto: PatientUpdateDto,
    ifMatch: string | undefined,
    fhirElements?: PatientFhirElements,
  ): Promise<PatientRecord> {
    return this.ledger.change(this.event(AuditAction.Update, id), async (draft) => {
      const current = await this.access.requireLivePatient(id);
      return this.write(current, { record: dto, fhirElements }, ifMatch, draft);
    });
  }

  /** JSON merge patch (RFC 7396) of the writable fields; the result must be a valid patient. */
  patch(id: string, patch: unknown, ifMatch: string | undefined): Promise<PatientRecord> {
    return this.changeWith(
      id,
      async (current) => ({
        record: await validateDto(PatientUpdateDto, applyMergePatch(writablePatient(current), patch)),
      }),
      ifMatch,
    );
  }

  /**
   * Replaces the patient with what `change` makes of its current version (a patch), as one audited update:
   * If-Match as for `replace`, and the version read is the one the store lets `change` replace.
   */
  changeWith(
    id: string,
    change: (current: PatientRecord) => Promise<PatientChange>,
    ifMatch: string | undefined,
  ): Promise<PatientRecord> {
    return this.ledger.change(this.event(AuditAction.Update, id), async (draft) => {
      const current = await this.access.requireLivePatient(id);
      requireIfMatch(ifMatch, current.version);
      return this.write(current, await change(mapPatient(current)), ifMatch, draft);
    });
  }

  /** Deletes the patient and, with it, their test results. */
  delete(id: string, ifMatch: string | undefined): Promise<void> {
    return this.ledger.change({ ...this.event(AuditAction.Delete, id), success: 204 }, async (draft) => {
      const current = await this.access.requireLivePatient(id);
      requireIfMatch(ifMatch, current.version);
      if (!(await this.repository.markDeleted(current, draft))) throw new VersionMismatchError();
      return { value: undefined, settle: () => this.settleDeletion(id, draft) };
    });
  }

  /** Finishes a deletion whose tombstone is written: cascade, free identifiers, clear the intent. Idempotent. */
  async settleDeletion(id: string, draft: AuditDraft): Promise<void> {
    await this.results.markDeletedForPatient(id);
    await this.cascade.run(id);
    await this.repository.releaseAllClaims(id);
    await this.repository.intents.clear(id, draft);
  }

  search(query: PatientSearchDto): Promise<PatientRecordPage> {
    const [system, value] = query.identifier?.split('|') ?? [];
    return this.searchByCriteria(
      {
        identifier: query.identifier ? { system, value } : undefined,
        familyPrefix: query.family ? normaliseForSearch(query.family) : undefined,
        givenPrefix: query.given ? normaliseForSearch(query.given) : undefined,
        birthDate: query.birthDate,
        gender: query.gender,
      },
      query,
    );
  }

  /**
   * A search by criteria the REST query cannot express (the FHIR face's modifiers, prefixes and ranges);
   * `page.sort` orders it by one key, `page.count` adds the number of matches, in the same audited search.
   */
  searchByCriteria(criteria: PatientCriteria, page: PatientCriteriaPage): Promise<PatientCriteriaResult> {
    return this.ledger.read(
      { action: AuditAction.Search, resourceType: PATIENT },
      async () => {
        const filter = this.searchable(criteria);
        if (!filter) return { items: [], ...(page.count ? { total: 0 } : {}) };
        const found = page.sort
          ? await this.findSorted(filter, page.sort, page)
          : await this.findPage(filter, page);
        return page.count ? { ...found, total: await this.repository.count(filter) } : found;
      },
      (found) => found.items.length,
    );
  }

  /** How many patients a search matches (`_summary=count`), audited as a search. */
  countByCriteria(criteria: PatientCriteria): Promise<number> {
    return this.ledger.read(
      { action: AuditAction.Search, resourceType: PATIENT },
      async () => {
        const filter = this.searchable(criteria);
        return filter ? this.repository.count(filter) : 0;
      },
      (total) => total,
    );
  }

  /** The criteria within the caller's compartment; undefined when they ask for a patient outside it. */
  private searchable(criteria: PatientCriteria): PatientCriteria | undefined {
    const principal = this.access.requirePatientDataAccess();
    const compartment = this.access.compartmentOf(principal);
    if (compartment !== undefined && criteria.id !== undefined && criteria.id !== compartment)
      return undefined;
    return { ...criteria, id: compartment ?? criteria.id };
  }

  private async findPage(filter: PatientCriteria, query: PageQueryDto): Promise<PatientRecordPage> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    // An id or identifier matches one patient at most, a birth date few: one query over the whole id space.
    const narrow =
      filter.id !== undefined ||
      filter.identifier !== undefined ||
      filter.identifierValue !== undefined ||
      filter.birthDate !== undefined;
    const from = query.cursor ? decodePosition(query.cursor) : { id: '', level: narrow ? 0 : FIRST_LEVEL };
    const found = await readByBuckets(
      (bucket, size) => this.repository.search(filter, bucket, size),
      from.id,
      limit + 1,
      from.level,
    );
    const items = found.items.slice(0, limit).map(mapPatient);
    const last = items.at(-1);
    const more = found.items.length > limit && last;
    return { items, next: more ? encodeCursor({ id: last.id, level: found.level }) : undefined };
  }

  /** A page in the order of `sort`, its cursor the last record's sort value and id (keyset paging). */
  private async findSorted(
    filter: PatientCriteria,
    sort: SortOrder<PatientSortKey>,
    query: PageQueryDto,
  ): Promise<PatientRecordPage> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const byTime = sort.key === 'updatedAt';
    const after = query.cursor
      ? decodeSortCursor(query.cursor, sort.key, byTime ? 'number' : 'string')
      : undefined;
    const found = await this.repository.searchSorted(
      filter,
      sort,
      after && { value: byTime ? new Date(after.value) : after.value, id: after.id },
      limit + 1,
    );
    const page = found.slice(0, limit);
    const last = page.at(-1);
    const more = found.length > limit && last;
    return {
      items: page.map(mapPatient),
      next: more
        ? encodeSortCursor(sort.key, { value: sortValueOf(last, sort.key), id: last._id })
        : undefined,
    };
  }

  private async write(
    current: PatientDocument,
    { record: dto, fhirElements = current.fhirElements }: PatientChange,
    ifMatch: string | undefined,
    draft: AuditDraft,
  ) {
    requireIfMatch(ifMatch, current.version);
    assertValidIdentifiers(dto.identifier);
    const id = current._id;
    const fields = toPatientFields(dto, fhirElements);
    await this.claims.claim(id, dto.identifier);
    const updated = await this.repository.replace(current, fields, draft);
    if (!updated) {
      await this.claims.releaseDropped(id, dto.identifier ?? [], current.identifier ?? []);
      throw new VersionMismatchError();
    }
    await this.claims.releaseDropped(id, current.identifier ?? [], dto.identifier ?? []);
    return { value: mapPatient(updated), settle: () => this.repository.intents.clearLater(id, draft) };
  }

  private event(action: AuditAction, id: string) {
    const safeId = isRecordId(id) ? id : undefined;
    return { action, resourceType: PATIENT, resourceId: safeId, patientId: safeId };
  }
}

/** A patient's value of a sort key as a cursor carries it (a time as its milliseconds). */
function sortValueOf(patient: PatientDocument, key: PatientSortKey): string | number {
  if (key === 'updatedAt') return patient.updatedAt.getTime();
  return key === 'birthDate' ? patient.birthDate : patient.nameNorm.family;
}

/** A search cursor: the last id of the previous page and the bucket level that filled it. */
function decodePosition(cursor: string): { id: string; level: number } {
  const position = decodeCursor(cursor, { id: 'string', level: 'number' });
  if (isRecordId(position.id) && Number.isInteger(position.level) && position.level >= 0) {
    return { id: position.id, level: Math.min(position.level, MAX_LEVEL) };
  }
  throw new InvalidInputError('The page cursor is not valid.', [
    { path: 'cursor', message: 'cursor must be a value returned by a previous page' },
  ]);
}

/** NHS numbers must carry a valid modulus-11 check digit. Issues name the field, never the value. */
function assertValidIdentifiers(identifiers: readonly IdentifierDto[] = []): void {
  const issues = identifiers.flatMap((identifier, index) =>
    identifier.system === NHS_NUMBER_SYSTEM && !isValidNhsNumber(identifier.value)
      ? [
          {
            path: `identifier[${index}].value`,
            message: 'not a valid NHS number (10 digits, modulus-11 check)',
          },
        ]
      : [],
  );
  if (issues.length > 0) throw new InvalidInputError('The request is invalid.', issues);
}
