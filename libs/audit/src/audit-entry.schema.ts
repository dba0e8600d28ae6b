import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

@Schema({ _id: false })
export class AuditActorDocument {
  @Prop({ required: true }) id!: string;
  @Prop({ required: true }) clientId!: string;
  @Prop({ type: [String], required: true }) roles!: string[];
}

/** One ledger entry. Inserted once, never updated: nothing in the app issues an update on this collection. */
@Schema({ collection: 'audit_entries', versionKey: false, strict: 'throw' })
export class AuditEntryDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) chain!: number;
  @Prop({ required: true }) seq!: number;
  @Prop({ required: true }) at!: Date;
  @Prop({ type: AuditActorDocument, required: true }) actor!: AuditActorDocument;
  @Prop({ required: true }) action!: string;
  @Prop({ required: true }) resourceType!: string;
  @Prop() resourceId?: string;
  @Prop() patientId?: string;
  @Prop({ required: true }) outcome!: number;
  @Prop() count?: number;
  @Prop({ required: true }) clientAddress!: string;
  @Prop() userAgent?: string;
  @Prop({ required: true }) correlationId!: string;
  @Prop() purposeOfUse?: string;
  @Prop() breakGlassReason?: string;
  @Prop() prevHash?: string;
  @Prop() hash?: string;
  @Prop() keyId?: string;
  @Prop() signature?: string;
}

export const AuditEntrySchema = SchemaFactory.createForClass(AuditEntryDocument);
// One entry per position of a chain: the sequence is allocated by this unique index, not by a counter.
AuditEntrySchema.index({ chain: 1, seq: 1 }, { unique: true });
AuditEntrySchema.index({ at: -1, _id: -1 });
AuditEntrySchema.index({ patientId: 1, at: -1 });
AuditEntrySchema.index({ 'actor.id': 1, at: -1 });
AuditEntrySchema.index({ action: 1, at: -1 });
AuditEntrySchema.index({ outcome: 1, at: -1 });

/** The last sealed position of a chain, signed, so that cutting entries off a chain's end is detected. */
@Schema({ collection: 'audit_chain_heads', versionKey: false })
export class AuditChainHeadDocument {
  @Prop({ type: Number, required: true }) _id!: number;
  @Prop({ required: true }) seq!: number;
  @Prop({ required: true }) hash!: string;
  @Prop({ required: true }) keyId!: string;
  @Prop({ required: true }) signature!: string;
}

export const AuditChainHeadSchema = SchemaFactory.createForClass(AuditChainHeadDocument);

/**
 * A signed record of every chain's head at one moment, written every AUDIT_CHECKPOINT_INTERVAL_MS: a chain
 * cut back (or removed) to before a checkpoint, heads and all, no longer matches it.
 */
@Schema({ collection: 'audit_checkpoints', versionKey: false })
export class AuditCheckpointDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) at!: Date;
  @Prop({ required: true }) chains!: number;
  @Prop({ type: [{ _id: false, chain: Number, seq: Number, hash: String }], required: true })
  heads!: { chain: number; seq: number; hash: string }[];
  @Prop({ required: true }) keyId!: string;
  @Prop({ required: true }) signature!: string;
}

export const AuditCheckpointSchema = SchemaFactory.createForClass(AuditCheckpointDocument);
AuditCheckpointSchema.index({ at: -1 });
