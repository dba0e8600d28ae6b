import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { AuditDraft } from '@hdp/audit';
import { safeErrorSummary } from '@hdp/platform';
import type { Model } from 'mongoose';

interface WithOutbox {
  _id: string;
  auditOutbox: AuditDraft[];
}

interface Clear {
  readonly id: string;
  readonly draft: AuditDraft;
  readonly epoch?: string;
}

const MAX_BATCH = 256;

/**
 * Write-ahead audit intents kept in the changed document itself (`auditOutbox`), shared by the
 * repositories of the lib. The intent is written by the same single-document write as the change, and
 * cleared once its entry is in the ledger.
 *
 * Clears are batched off the callers' path. A document inserted with `hold` also carries an epoch marker
 * (`outboxEpoch`, the same for every insert between two batches), so one update per epoch clears a whole
 * batch of inserts.
 */
export class AuditIntents<T extends WithOutbox> {
  private readonly logger = new Logger(AuditIntents.name);
  private readonly epochs = new WeakMap<AuditDraft, string>();
  private readonly process = randomBytes(6).toString('hex');
  private epoch = 0;
  private queued: Clear[] = [];
  private draining?: Promise<void>;

  constructor(private readonly model: Model<T>) {}

  /** The intent fields of a document inserted together with its change. */
  hold(draft: AuditDraft): { auditOutbox: AuditDraft[]; outboxEpoch: string } {
    const outboxEpoch = `${this.process}.${this.epoch}`;
    this.epochs.set(draft, outboxEpoch);
    return { auditOutbox: [draft], outboxEpoch };
  }

  /** Removes one intent now. Exact-value $pull: conditional $pull is not served by every engine. */
  async clear(id: string, draft: AuditDraft): Promise<void> {
    await this.model.collection.updateOne({ _id: id } as object, { $pull: { auditOutbox: draft } } as object);
  }

  /**
   * Removes an intent whose entry is already in the ledger, batched with the other changes settling at the
   * same time, off the caller's path (a failed clear is logged, never thrown: recovery finds the entry in the
   * ledger and only clears the intent). Each clear is one atomic update, so it cannot undo a later change.
   */
  clearLater(id: string, draft: AuditDraft): void {
    this.queued.push({ id, draft, epoch: this.epochs.get(draft) });
    this.draining ??= this.drain();
  }

  /** Resolves when every clear queued so far is written. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    // Let the changes settling in this turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queued.length > 0) {
      const batch = this.queued.splice(0, MAX_BATCH);
      this.epoch++;
      await this.write(batch).catch((error: unknown) =>
        this.logger.warn({ error: safeErrorSummary(error) }, 'Clearing audit intents failed'),
      );
    }
    this.draining = undefined;
  }

  private async write(batch: Clear[]): Promise<void> {
    const byEpoch = new Map<string | undefined, Clear[]>();
    for (const clear of batch) byEpoch.set(clear.epoch, [...(byEpoch.get(clear.epoch) ?? []), clear]);
    await Promise.all([...byEpoch].map(([epoch, clears]) => this.clearEpoch(epoch, clears)));
  }

  /** One update for an epoch's clears; one per document for changes written without a marker. */
  private async clearEpoch(epoch: string | undefined, clears: Clear[]): Promise<void> {
    const ids = [...new Set(clears.map(({ id }) => id))];
    if (epoch !== undefined) {
      const result = await this.model.collection.updateMany(
        { _id: { $in: ids }, outboxEpoch: epoch } as object,
        { $pullAll: { auditOutbox: clears.map(({ draft }) => draft) } } as object,
      );
      if (result.matchedCount === ids.length) return;
    }
    const operations = clears.map(({ id, draft }) => ({
      updateOne: { filter: { _id: id }, update: { $pull: { auditOutbox: draft } } },
    }));
    await this.model.collection.bulkWrite(operations as never, { ordered: false });
  }

  /** Documents holding an intent written before `before`: their writer is presumed to have died. */
  async pending(before: Date, limit: number): Promise<T[]> {
    await this.flush();
    return this.model
      .find({ 'auditOutbox.at': { $lt: before } })
      .limit(limit)
      .lean<T[]>();
  }
}
