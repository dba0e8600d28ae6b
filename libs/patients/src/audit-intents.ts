import type { AuditDraft } from '@hdp/audit';
import type { Model } from 'mongoose';

interface WithOutbox {
  _id: string;
  auditOutbox: AuditDraft[];
}

/**
 * Write-ahead audit intents kept in the changed document itself (`auditOutbox`), shared by the
 * repositories of the lib. The intent is written by the same single-document update as the change.
 */
export class AuditIntents<T extends WithOutbox> {
  constructor(private readonly model: Model<T>) {}

  /** Removes one intent once its entry is in the ledger. Exact-value $pull: it works on every engine. */
  async clear(id: string, draft: AuditDraft): Promise<void> {
    await this.model.collection.updateOne({ _id: id } as object, { $pull: { auditOutbox: draft } } as object);
  }

  /** Documents holding an intent written before `before`: their writer is presumed to have died. */
  async pending(before: Date, limit: number): Promise<T[]> {
    return this.model
      .find({ 'auditOutbox.at': { $lt: before } })
      .limit(limit)
      .lean<T[]>();
  }
}
