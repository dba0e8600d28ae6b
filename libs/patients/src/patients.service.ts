import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditAction, AuditDraft, AuditLedgerService } from '@hdp/audit';
import { InvalidInputError, isRecordId, PageQueryDto } from '@hdp/platform';
import {
  IdentifierDto,
  PatientFhirElements,
  PatientPageDto,
  PatientRecord,
  PatientSearchDto,
  PatientUpdateDto,
} from './dto/patient.dto';
import { isDuplicateKey } from './duplicate-key';
import { requireIfMatch } from './etag';
import { readIdPage } from './id-page';
import { applyMergePatch } from './merge-patch';
import { isValidNhsNumber, NHS_NUMBER_SYSTEM } from './nhs-number';
import { normaliseForSearch } from './normalise';
import { PatientAccessService } from './patient-access.service';
import { PatientDeletionCascade } from './patient-deletion-cascade';
import {
  DuplicateIdentifierError,
  PatientGoneError,
  PatientNotFoundError,
  VersionMismatchError,
} from './patients.errors';
import { mapPatient, toPatientFields, writablePatient } from './patients.mapper';
import { PatientCriteria, PatientSortKey, PatientsRepository } from './patients.repository';
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
      const fields = toPatientFields(dto, fhirElements);
      const created = await identifiersUnique(this.repository.insert(id, fields, draft));
      return { value: mapPatient(created), settle: () => this.repository.intents.clearLater(id, draft) };
    });
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

  /** Finishes a deletion whose tombstone is written: cascade, clear the intent. Idempotent. */
  async settleDeletion(id: string, draft: AuditDraft): Promise<void> {
    await this.results.markDeletedForPatient(id);
    await this.cascade.run(id);
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

  /** A page in id order, read from the index of the search's leading condition (then id). */
  private async findPage(filter: PatientCriteria, query: PageQueryDto): Promise<PatientRecordPage> {
    const page = await readIdPage(query, (after, size) => this.repository.search(filter, after, size));
    return { items: page.items.map(mapPatient), next: page.next };
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
    const updated = await identifiersUnique(this.repository.replace(current, fields, draft));
    if (!updated) throw new VersionMismatchError();
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

/** A write refused by the unique identifier index: another live patient holds one of the identifiers. */
async function identifiersUnique<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    throw isDuplicateKey(error) ? new DuplicateIdentifierError() : error;
  }
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
