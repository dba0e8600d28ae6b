import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { AuditDraft } from '@hdp/audit';
import type { ObservationContent } from './test-results.keys';

/**
 * A test result as stored: the FHIR Observation it is (REST and FHIR read and write this one document),
 * and the search keys derived from it on every write.
 */
@Schema({ collection: 'test_results', versionKey: false })
export class TestResultDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) patientId!: string;
  /** The Observation without `id` (and without the version and time `meta` the record holds), as FHIR JSON. */
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) observation!: ObservationContent;
  @Prop({ type: String, required: true }) status!: string;
  @Prop({ type: [String], default: [] }) codeTokens!: string[];
  @Prop({ type: [String], default: [] }) categoryTokens!: string[];
  @Prop({ required: true }) effectiveStart!: Date;
  @Prop({ required: true }) effectiveEnd!: Date;
  @Prop() device?: string;
  @Prop() identifierKey?: string;
  @Prop({ type: [String], default: [] }) identifierKeys!: string[];
  @Prop({ required: true }) version!: number;
  @Prop({ required: true }) createdAt!: Date;
  @Prop({ required: true }) updatedAt!: Date;
  @Prop({ required: true }) deleted!: boolean;
  /** Write-ahead audit intents of changes whose ledger entry may not be written yet. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) auditOutbox!: AuditDraft[];
}

export const TestResultSchema = SchemaFactory.createForClass(TestResultDocument);
// Every search is newest first by effective time, then id (the page cursor): one index per filter. No index
// holds `deleted`: DocumentDB's composite indexes look each key up on its own, and `deleted: false` matches
// nearly every record (a patient's 10 results among 100,000: 12 ms with it in the index, 1.6 ms without);
// the flag is checked on the few rows the selective key finds.
const NEWEST_FIRST = { effectiveStart: -1, _id: -1 } as const;
TestResultSchema.index({ patientId: 1, ...NEWEST_FIRST });
TestResultSchema.index({ codeTokens: 1, ...NEWEST_FIRST });
TestResultSchema.index({ categoryTokens: 1, ...NEWEST_FIRST });
TestResultSchema.index({ status: 1, ...NEWEST_FIRST });
TestResultSchema.index({ device: 1, ...NEWEST_FIRST });
TestResultSchema.index(NEWEST_FIRST);
TestResultSchema.index({ effectiveEnd: 1 });
// `_sort=_lastUpdated` (and `_lastUpdated` conditions), across patients and within one; value-quantity.
const LAST_UPDATED = { updatedAt: -1, _id: -1 } as const;
TestResultSchema.index(LAST_UPDATED);
TestResultSchema.index({ patientId: 1, ...LAST_UPDATED });
TestResultSchema.index({ 'observation.valueQuantity.value': 1 });
TestResultSchema.index({ identifierKeys: 1 });
// One result per (first) identifier, enforced by the store's unique index on that identifier's key. Deletion releases it.
TestResultSchema.index({ identifierKey: 1 }, { unique: true, sparse: true });
TestResultSchema.index({ 'auditOutbox.at': 1 });
