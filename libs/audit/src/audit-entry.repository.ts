import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { FilterQuery, Model } from 'mongoose';
import { AuditEntry } from './audit-event';
import { AuditChainHeadDocument, AuditEntryDocument } from './audit-entry.schema';
import { ChainPosition } from './audit-signer';

export interface AuditEntryFilter {
  readonly id?: string;
  readonly patientId?: string;
  readonly actorId?: string;
  /** Any of these actions. */
  readonly actions?: readonly string[];
  /** Outcome (HTTP status) in [min, max). */
  readonly outcome?: { readonly min: number; readonly max: number };
  readonly from?: Date;
  readonly to?: Date;
  readonly after?: { at: Date; id: string };
}

export interface SignedHead extends ChainPosition {
  readonly chain: number;
  readonly keyId: string;
  readonly signature: string;
}

/** The only code that touches the ledger's collections. Insert and read only: no update, no delete. */
@Injectable()
export class AuditEntryRepository {
  constructor(
    @InjectModel(AuditEntryDocument.name) private readonly entries: Model<AuditEntryDocument>,
    @InjectModel(AuditChainHeadDocument.name) private readonly heads: Model<AuditChainHeadDocument>,
  ) {}

  /** Ordered insert; on a duplicate the error tells how many went in before it. */
  async insertMany(entries: readonly AuditEntry[]): Promise<void> {
    const documents = entries.map(toDocument) as unknown as Record<string, unknown>[];
    await this.entries.collection.insertMany(documents, { ordered: true });
  }

  async lastOfChain(chain: number): Promise<ChainPosition | undefined> {
    const last = await this.entries
      .findOne({ chain }, { seq: 1, hash: 1 })
      .sort({ seq: -1 })
      .lean<{ seq: number; hash: string }>();
    return last ? { seq: last.seq, hash: last.hash } : undefined;
  }

  /** Which of these entry ids are in the ledger: one primary-key query. */
  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    const found = await this.entries.find({ _id: { $in: [...ids] } }, { _id: 1 }).lean<{ _id: string }[]>();
    return new Set(found.map(({ _id }) => _id));
  }

  /** Moves chains' signed heads forward; never back (a stale writer's update matches nothing). */
  async advanceHeads(heads: readonly SignedHead[]): Promise<void> {
    const operations = heads.map(({ chain, ...fields }) => ({
      updateOne: { filter: { _id: chain, seq: { $lt: fields.seq } }, update: { $set: fields }, upsert: true },
    }));
    try {
      await this.heads.collection.bulkWrite(operations as never, { ordered: false });
    } catch (error) {
      // An upsert's insert collides when the stored head is already further on: nothing to do for it.
      const writeErrors = (error as { writeErrors?: { code?: unknown }[] }).writeErrors;
      if (!Array.isArray(writeErrors) || writeErrors.some(({ code }) => code !== 11000)) throw error;
    }
  }

  async chainHeads(): Promise<SignedHead[]> {
    const heads = await this.heads.find().lean<AuditChainHeadDocument[]>();
    return heads.map(({ _id, ...head }) => ({ chain: _id, ...head }));
  }

  /** Every chain id the entries carry, as stored: a well-formed ledger holds only integers 0..AUDIT_CHAINS-1. */
  async chainIds(): Promise<unknown[]> {
    return this.entries.distinct('chain');
  }

  /** The hash of a chain's entry at `seq`, if there is one. */
  async hashAt(chain: number, seq: number): Promise<string | undefined> {
    const found = await this.entries.findOne({ chain, seq }, { hash: 1 }).lean<{ hash: string }>();
    return found?.hash;
  }

  /** A chain's entries in sequence order, streamed so verification runs in bounded memory. */
  async *streamChain(chain: number): AsyncGenerator<AuditEntry> {
    const cursor = this.entries.find({ chain }).sort({ seq: 1 }).lean<AuditEntryDocument>().cursor();
    for await (const document of cursor) yield fromDocument(document);
  }

  async search(filter: AuditEntryFilter, limit: number): Promise<AuditEntry[]> {
    const documents = await this.entries
      .find(toQuery(filter))
      .sort({ at: -1, _id: -1 })
      .limit(limit)
      .lean<AuditEntryDocument[]>();
    return documents.map(fromDocument);
  }
}

function toQuery(filter: AuditEntryFilter): FilterQuery<AuditEntryDocument> {
  const query: FilterQuery<AuditEntryDocument> = {};
  if (filter.id !== undefined) query._id = filter.id;
  if (filter.patientId !== undefined) query.patientId = filter.patientId;
  if (filter.actorId !== undefined) query['actor.id'] = filter.actorId;
  if (filter.actions !== undefined)
    query.action = filter.actions.length === 1 ? filter.actions[0] : { $in: [...filter.actions] };
  if (filter.outcome) query.outcome = { $gte: filter.outcome.min, $lt: filter.outcome.max };
  if (filter.from || filter.to) {
    query.at = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) };
  }
  if (filter.after) {
    const { at, id } = filter.after;
    return { $and: [query, { $or: [{ at: { $lt: at } }, { at, _id: { $lt: id } }] }] };
  }
  return query;
}

function toDocument({ id, ...entry }: AuditEntry): AuditEntryDocument {
  return withoutUndefined({ _id: id, ...entry, actor: { ...entry.actor, roles: [...entry.actor.roles] } });
}

function fromDocument({ _id, ...document }: AuditEntryDocument): AuditEntry {
  return { id: _id, ...document } as AuditEntry;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
