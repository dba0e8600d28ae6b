import { Prop, raw, Schema, SchemaFactory } from '@nestjs/mongoose';

export type JournalStatus = 'applying' | 'committed' | 'rolled-back';

/**
 * A FHIR transaction in progress: every resource it may write (create, update or delete), by id, known
 * before any is written. A transaction that fails sets them back to their versions at `startedAt`; one
 * whose process died while `applying` is rolled back by the transaction recovery, from this list.
 */
@Schema({ collection: 'fhir_transactions', versionKey: false })
export class TransactionJournalDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true }) status!: JournalStatus;
  // `type` spelled out: mongoose would read a bare `type: String` as the type of the whole element.
  @Prop(raw([{ _id: false, type: { type: String }, id: String }])) resources!: { type: string; id: string }[];
  @Prop({ required: true }) startedAt!: Date;
}

export const TransactionJournalSchema = SchemaFactory.createForClass(TransactionJournalDocument);
TransactionJournalSchema.index({ status: 1, startedAt: 1 });
