import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { AuditDraft } from '@hdp/audit';
import { safeErrorSummary } from '@hdp/platform';
import type { FilterQuery, Model } from 'mongoose';
import { isDuplicateKey } from '../duplicate-key';
import { InsertBatcher } from '../insert-batcher';
import { ResourceVersionDocument } from './resource-version.schema';

/** What every versioned record stores besides its own fields. */
export interface VersionedRecord {
  _id: string;
  version: number;
  updatedAt: Date;
  deleted: boolean;
}

/** A page of history, newest first: of one record, of one patient's compartment, or of every record. */
export interface HistoryQuery {
  readonly resourceId?: string;
  readonly patientId?: string;
  /** Only versions written at or after this instant. */
  readonly since?: Date;
  /** The last version of the previous page. */
  readonly after?: { readonly updatedAt: Date; readonly id: string };
  readonly limit: number;
}

/** Fields of a record that belong to the write in progress, not to any version of it. */
const BOOKKEEPING = ['_id', 'auditOutbox', 'outboxEpoch'];
const HIDE_WRITE_STATE = { pending: 0, draft: 0 };

/**
 * The versions of one record type, kept in their own collection, written ahead of the record: every
 * create, update and delete first inserts the version it makes (`"<id>:<version>"`), and only the writer
 * whose insert the unique `_id` let through goes on to the record's own conditional write (on `{_id, version}`,
 * atomic on every engine served). The version is the write-ahead record of the change: with its audit draft
 * it lets recovery finish a change whose writer died before the record was written.
 *
 * A version stays `pending` until its record write is confirmed (cleared in batches off the writers'
 * path). A writer that dies between the two leaves the version pending: `recover` rolls it forward onto
 * the record with the change's audit intent, so the change and its ledger entry still come together.
 */
export class VersionStore<T extends VersionedRecord> {
  private readonly logger = new Logger(VersionStore.name);
  private readonly inserts: InsertBatcher;
  private readonly process = randomBytes(6).toString('hex');
  private epoch = 0;
  private settled = new Map<string, string[]>();
  private draining?: Promise<void>;

  constructor(
    private readonly records: Model<T>,
    private readonly versions: Model<ResourceVersionDocument>,
    private readonly patientOf: (record: T) => string,
  ) {
    this.inserts = new InsertBatcher(versions.collection);
  }

  /**
   * Writes `record` (the whole record after the change, at its new version) through the version store:
   * claims the version, then runs `apply`, the record write. Null when another writer holds the version or
   * `apply` found the record changed (the version is then withdrawn); a unique-key refusal of `apply` also
   * withdraws it. Any other failure leaves the version pending for recovery: the write may have happened.
   */
  async write<R>(record: T, draft: AuditDraft, apply: () => Promise<R | null>): Promise<R | null> {
    const marker = await this.claim(record, draft);
    if (marker === undefined) return null;
    let written: R | null;
    try {
      written = await apply();
    } catch (error) {
      if (isDuplicateKey(error)) await this.discard(record);
      throw error;
    }
    if (written === null) await this.discard(record);
    else this.settle(record, marker);
    return written;
  }

  /** One version of a record, without the bookkeeping of its write. */
  async find(id: string, version: number): Promise<ResourceVersionDocument | null> {
    return this.versions.findById(versionId(id, version), HIDE_WRITE_STATE).lean<ResourceVersionDocument>();
  }

  async history(query: HistoryQuery): Promise<ResourceVersionDocument[]> {
    return this.versions
      .find(historyFilter(query), HIDE_WRITE_STATE)
      .sort({ updatedAt: -1, _id: -1 })
      .limit(query.limit)
      .lean<ResourceVersionDocument[]>();
  }

  /** Rolls forward the versions left pending before `before` by writers that died; returns how many. */
  async recover(before: Date, limit: number): Promise<number> {
    await this.flush();
    const pending = await this.versions
      .find({ pending: { $exists: true }, updatedAt: { $lt: before } })
      .sort({ version: 1 })
      .limit(limit)
      .lean<ResourceVersionDocument[]>();
    let applied = 0;
    for (const version of pending) if (await this.rollForward(version)) applied++;
    return applied;
  }

  /** Resolves when every confirmation queued so far is written. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Inserts the version; its pending marker, or undefined when another writer holds the version. */
  private async claim(record: T, draft: AuditDraft): Promise<string | undefined> {
    const { _id, version, updatedAt, deleted } = record;
    const pending = `${this.process}.${this.epoch}`;
    const state = Object.fromEntries(Object.entries(record).filter(([key]) => !BOOKKEEPING.includes(key)));
    try {
      await this.inserts.insert({
        _id: versionId(_id, version),
        resourceId: _id,
        version,
        patientId: this.patientOf(record),
        updatedAt,
        deleted,
        state,
        pending,
        draft,
      });
      return pending;
    } catch (error) {
      if (isDuplicateKey(error)) return undefined;
      throw error;
    }
  }

  private async discard({ _id, version }: { _id: string; version: number }): Promise<void> {
    await this.versions.deleteOne({ _id: versionId(_id, version), pending: { $exists: true } });
  }

  /** Confirms a version whose record write is done, batched with the others confirmed meanwhile. */
  private settle({ _id, version }: { _id: string; version: number }, marker: string): void {
    this.settled.set(marker, [...(this.settled.get(marker) ?? []), versionId(_id, version)]);
    this.draining ??= this.drain();
  }

  private async drain(): Promise<void> {
    // Let the writes settling in this turn of the event loop join the batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.settled.size > 0) {
      const batch = this.settled;
      this.settled = new Map();
      this.epoch++;
      await Promise.all(
        [...batch].map(([pending, ids]) =>
          this.versions.updateMany({ pending, _id: { $in: ids } }, { $unset: { pending: 1, draft: 1 } }),
        ),
      ).catch((error: unknown) =>
        this.logger.warn({ error: safeErrorSummary(error) }, 'Confirming record versions failed'),
      );
    }
    this.draining = undefined;
  }

  /** Applies a pending version onto its record when the record is still at the version before it. */
  private async rollForward(version: ResourceVersionDocument): Promise<boolean> {
    const id = version.resourceId;
    const current = await this.records.findById(id).lean<T>();
    if (current && current.version >= version.version) {
      await this.confirm(version);
      return false;
    }
    const follows =
      version.version === 1 ? !current : current?.version === version.version - 1 && !current.deleted;
    if (!follows || !(await this.apply(current, version))) {
      await this.discard({ _id: id, version: version.version });
      return false;
    }
    await this.confirm(version);
    return true;
  }

  /** Writes a version onto its record with its audit intent; false when a unique key refuses it. */
  private async apply(current: T | null, version: ResourceVersionDocument): Promise<boolean> {
    const intents = { auditOutbox: version.draft ? [version.draft] : [] };
    try {
      if (!current)
        await this.records.collection.insertOne({
          _id: version.resourceId,
          ...version.state,
          ...intents,
        } as object);
      else await this.records.collection.updateOne(...this.successorUpdate(current, version));
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  private successorUpdate(current: T, version: ResourceVersionDocument): [object, object] {
    const dropped = Object.keys(current).filter(
      (key) => !BOOKKEEPING.includes(key) && !(key in version.state),
    );
    return [
      { _id: current._id, version: current.version, deleted: false },
      {
        $set: version.state,
        ...(dropped.length > 0 ? { $unset: Object.fromEntries(dropped.map((key) => [key, 1])) } : {}),
        ...(version.draft ? { $push: { auditOutbox: version.draft } } : {}),
      },
    ];
  }

  private async confirm(version: ResourceVersionDocument): Promise<void> {
    await this.versions.updateOne({ _id: version._id }, { $unset: { pending: 1, draft: 1 } });
  }
}

function versionId(id: string, version: number): string {
  return `${id}:${version}`;
}

function historyFilter(query: HistoryQuery): FilterQuery<ResourceVersionDocument> {
  const conditions: FilterQuery<ResourceVersionDocument>[] = [];
  if (query.since) conditions.push({ updatedAt: { $gte: query.since } });
  if (query.after) {
    const { updatedAt, id } = query.after;
    conditions.push({ $or: [{ updatedAt: { $lt: updatedAt } }, { updatedAt, _id: { $lt: id } }] });
  }
  return {
    ...(query.resourceId !== undefined ? { resourceId: query.resourceId } : {}),
    ...(query.patientId !== undefined ? { patientId: query.patientId } : {}),
    ...(conditions.length > 0 ? { $and: conditions } : {}),
  };
}
