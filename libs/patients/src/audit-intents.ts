import { Logger } from '@nestjs/common';
import type { AuditDraft } from '@hdp/audit';
import { safeErrorSummary } from '@hdp/platform';
import type { Model } from 'mongoose';

interface WithOutbox {
  _id: string;
  auditOutbox: AuditDraft[];
}

/**
 * Write-ahead audit intents kept in the changed document itself (`auditOutbox`), shared by the
 * repositories of the lib. The intent is written by the same single-document update as the change, and
 * cleared once its entry is in the ledger.
 */
export class AuditIntents<T extends WithOutbox> {
  private readonly logger = new Logger(AuditIntents.name);
  private queued: { id: string; draft: AuditDraft }[] = [];
  private scheduled?: Promise<void>;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly model: Model<T>) {}

  /** Removes one intent now. Exact-value $pull: conditional $pull is not served by every engine. */
  async clear(id: string, draft: AuditDraft): Promise<void> {
    await this.model.collection.updateOne({ _id: id } as object, { $pull: { auditOutbox: draft } } as object);
  }

  /**
   * Removes an intent whose entry is already in the ledger, batched with others off the caller's path.
   * A clear that never happens is harmless: recovery finds the entry there and only clears the intent.
   */
  clearLater(id: string, draft: AuditDraft): void {
    this.queued.push({ id, draft });
    this.scheduled ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.scheduled = undefined;
      return this.flush();
    });
  }

  /** Writes every queued clear; resolves when all clears queued so far are written. */
  async flush(): Promise<void> {
    const batch = this.queued;
    this.queued = [];
    const previous = this.writing;
    this.writing = previous.then(() => this.write(batch));
    await this.writing;
  }

  private async write(batch: { id: string; draft: AuditDraft }[]): Promise<void> {
    if (batch.length === 0) return;
    const operations = batch.map(({ id, draft }) => ({
      updateOne: { filter: { _id: id }, update: { $pull: { auditOutbox: draft } } },
    }));
    await this.model.collection
      .bulkWrite(operations as never, { ordered: false })
      .catch((error: unknown) =>
        this.logger.warn({ error: safeErrorSummary(error) }, 'Clearing audit intents failed'),
      );
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
