import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { JournalStatus, TransactionJournalDocument } from './transaction-journal.schema';

/** The only code that touches the fhir_transactions collection. */
@Injectable()
export class TransactionJournalRepository {
  constructor(
    @InjectModel(TransactionJournalDocument.name)
    private readonly journals: Model<TransactionJournalDocument>,
  ) {}

  /** Opens a transaction's journal; returns when it started (what a rollback sets its resources back to). */
  async open(id: string, resources: { type: string; id: string }[]): Promise<Date> {
    const startedAt = new Date();
    await this.journals.create({ _id: id, status: 'applying', resources, startedAt });
    return startedAt;
  }

  /** Only the transaction's own request (or, after it died, the recovery) writes its journal. */
  async close(id: string, status: Exclude<JournalStatus, 'applying'>): Promise<void> {
    await this.journals.updateOne({ _id: id }, { $set: { status } });
  }

  /** Transactions still applying that started before `before`: their process is presumed dead. */
  async abandoned(before: Date, limit: number): Promise<TransactionJournalDocument[]> {
    return this.journals
      .find({ status: 'applying', startedAt: { $lt: before } })
      .limit(limit)
      .lean<TransactionJournalDocument[]>();
  }
}
