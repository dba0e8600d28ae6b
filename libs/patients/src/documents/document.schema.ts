import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { AuditDraft } from '@hdp/audit';

/** `pending` while its content uploads; `deleted` keeps the record until its blob is gone (`purged`). */
export type DocumentState = 'pending' | 'available' | 'deleted';

/** A document's metadata; its content is one blob per version in blob storage, named without PHI. */
@Schema({ collection: 'patient_documents', versionKey: false })
export class PatientDocumentRecord {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) patientId!: string;
  @Prop({ type: String, required: true }) state!: DocumentState;
  @Prop({ required: true }) title!: string;
  @Prop() typeCode?: string;
  @Prop() date?: string;
  @Prop() author?: string;
  @Prop({ required: true }) contentType!: string;
  @Prop({ required: true }) blobName!: string;
  @Prop() size?: number;
  @Prop() sha256?: string;
  @Prop() purged?: boolean;
  @Prop({ required: true }) version!: number;
  @Prop({ required: true }) createdAt!: Date;
  @Prop({ required: true }) updatedAt!: Date;
  /** Write-ahead audit intents of changes whose ledger entry may not be written yet. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) auditOutbox!: AuditDraft[];
}

export const PatientDocumentSchema = SchemaFactory.createForClass(PatientDocumentRecord);
PatientDocumentSchema.index({ patientId: 1, state: 1, createdAt: -1, _id: -1 });
PatientDocumentSchema.index({ state: 1, updatedAt: 1 });
PatientDocumentSchema.index({ 'auditOutbox.at': 1 });
