import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { AuditDraft } from '@hdp/audit';
import type { EncounterContent } from './encounter.keys';

/** An encounter as stored: the FHIR Encounter it is, and the keys derived from it on every write. */
@Schema({ collection: 'encounters', versionKey: false })
export class EncounterDocument {
  @Prop({ type: String, required: true }) _id!: string;
  /** The patient `Encounter.subject` references. */
  @Prop({ required: true }) patientId!: string;
  /** The Encounter without `id` (and without the version and time `meta` the record holds), as FHIR JSON. */
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) encounter!: EncounterContent;
  @Prop() identifierKey?: string;
  @Prop({ type: [String], default: [] }) identifierKeys!: string[];
  @Prop({ required: true }) status!: string;
  @Prop({ type: [String], default: [] }) classTokens!: string[];
  @Prop({ required: true }) periodStart!: Date;
  @Prop({ required: true }) periodEnd!: Date;
  @Prop({ required: true }) version!: number;
  @Prop({ required: true }) createdAt!: Date;
  @Prop({ required: true }) updatedAt!: Date;
  /** Write-ahead audit intents of changes whose ledger entry may not be written yet. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) auditOutbox!: AuditDraft[];
}

export const EncounterSchema = SchemaFactory.createForClass(EncounterDocument);
// Searches page by id: one index per filter, the id last.
EncounterSchema.index({ identifierKeys: 1, _id: 1 });
EncounterSchema.index({ patientId: 1, _id: 1 });
EncounterSchema.index({ status: 1, _id: 1 });
EncounterSchema.index({ classTokens: 1, _id: 1 });
EncounterSchema.index({ periodStart: 1, _id: 1 });
EncounterSchema.index({ periodEnd: 1, _id: 1 });
// One encounter per (first) identifier, enforced by the store's unique index on that identifier's key.
EncounterSchema.index({ identifierKey: 1 }, { unique: true, sparse: true });
EncounterSchema.index({ 'auditOutbox.at': 1 });
