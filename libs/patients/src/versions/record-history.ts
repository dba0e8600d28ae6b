import { AuditAction, AuditLedgerService } from '@hdp/audit';
import { decodeCursor, DomainError, encodeCursor, isRecordId } from '@hdp/platform';
import { PatientAccessService } from '../patient-access.service';
import { PatientNotFoundError } from '../patients.errors';
import { recordEvent } from '../record-event';
import { ResourceVersionDocument } from './resource-version.schema';
import { HistoryQuery, VersionedRecord, VersionStore } from './version-store';

const DEFAULT_LIMIT = 20;

/** One version of a record: the record as that version left it (a deletion: as it was when deleted). */
export interface RecordVersion<T> {
  readonly id: string;
  readonly version: number;
  readonly updatedAt: string;
  readonly deleted: boolean;
  readonly record: T;
}

/** A page of history, newest first, and the cursor of the next page when there is one. */
export interface HistoryPage<T> {
  readonly items: RecordVersion<T>[];
  readonly next?: string;
}

export interface HistoryPageQuery {
  /** Only versions written at or after this instant. */
  readonly since?: Date;
  readonly limit?: number;
  readonly cursor?: string;
}

/** What differs between the record types whose history is served. */
export interface HistoryKind<R extends VersionedRecord, T> {
  /** The resource type the ledger names. */
  readonly resourceType: string;
  readonly store: VersionStore<R>;
  readonly map: (record: R) => T;
  readonly notFound: () => DomainError;
  readonly gone: () => DomainError;
}

/**
 * The versions of one record type as their owners and their clinicians may see them: the patient's access
 * rules apply (outside the caller's compartment a record has no history), and every read is in the ledger.
 */
export class RecordHistory<R extends VersionedRecord, T> {
  constructor(
    private readonly kind: HistoryKind<R, T>,
    private readonly access: PatientAccessService,
    private readonly ledger: AuditLedgerService,
  ) {}

  /** One version; a deletion raises the kind's "gone" error (FHIR answers 410). */
  async version(id: string, version: number): Promise<RecordVersion<T>> {
    const valid = isRecordId(id) && Number.isSafeInteger(version) && version > 0;
    const found = valid ? await this.kind.store.find(id, version) : null;
    return this.ledger.read(this.event(AuditAction.VRead, found?.patientId, id), () => {
      const visible = this.requireVisible(found);
      if (visible.deleted) throw this.kind.gone();
      return Promise.resolve(this.toVersion(visible));
    });
  }

  /**
   * The version a record had at `at` (the newest written before it; without `at`, its newest), undefined
   * when it did not exist yet. For undoing what a failed FHIR transaction changed: not a read of its own,
   * the undoing write is audited.
   */
  async versionAt(id: string, at?: Date): Promise<RecordVersion<T> | undefined> {
    // `_id < ''` holds for none: only versions written strictly before `at`.
    const query = { resourceId: id, after: at && { updatedAt: at, id: '' }, limit: 1 };
    const [found] = isRecordId(id) ? await this.kind.store.history(query) : [];
    return found && this.toVersion(found);
  }

  /** The versions of one record, newest first; unknown (or not the caller's): the kind's "not found". */
  async ofRecord(id: string, page: HistoryPageQuery): Promise<HistoryPage<T>> {
    const [latest] = isRecordId(id) ? await this.kind.store.history({ resourceId: id, limit: 1 }) : [];
    return this.ledger.read(
      this.event(AuditAction.HistoryInstance, latest?.patientId, id),
      () => {
        this.requireVisible(latest ?? null);
        return this.page({ resourceId: id }, page);
      },
      (found) => found.items.length,
    );
  }

  /** The versions of every record of the type the caller may see, newest first. */
  ofType(page: HistoryPageQuery): Promise<HistoryPage<T>> {
    return this.ledger.read(
      this.event(AuditAction.HistoryType, undefined),
      () => this.page({ patientId: this.access.searchablePatient(undefined) ?? undefined }, page),
      (found) => found.items.length,
    );
  }

  private async page(
    filter: Pick<HistoryQuery, 'resourceId' | 'patientId'>,
    { since, limit = DEFAULT_LIMIT, cursor }: HistoryPageQuery,
  ): Promise<HistoryPage<T>> {
    const after = cursor ? decodeCursor(cursor, { at: 'number', id: 'string' }) : undefined;
    const found = await this.kind.store.history({
      ...filter,
      since,
      after: after && { updatedAt: new Date(after.at), id: after.id },
      limit: limit + 1,
    });
    const items = found.slice(0, limit);
    const last = items.at(-1);
    const more = found.length > limit && last;
    return {
      items: items.map((version) => this.toVersion(version)),
      next: more ? encodeCursor({ at: last.updatedAt.getTime(), id: last._id }) : undefined,
    };
  }

  /** Found and inside the caller's compartment; else "not found", so a record's existence does not leak. */
  private requireVisible(found: ResourceVersionDocument | null): ResourceVersionDocument {
    if (!found) throw this.kind.notFound();
    try {
      this.access.requireAccess(found.patientId);
    } catch (error) {
      throw error instanceof PatientNotFoundError ? this.kind.notFound() : error;
    }
    return found;
  }

  private toVersion(found: ResourceVersionDocument): RecordVersion<T> {
    return {
      id: found.resourceId,
      version: found.version,
      updatedAt: found.updatedAt.toISOString(),
      deleted: found.deleted,
      record: this.kind.map({ ...found.state, _id: found.resourceId } as unknown as R),
    };
  }

  private event(action: AuditAction, patientId: string | undefined, id?: string) {
    return recordEvent(action, this.kind.resourceType, patientId, id);
  }
}
