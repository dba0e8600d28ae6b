import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { AuditDraft } from '@hdp/audit';
import type { DeviceContent } from './device.keys';

/** A device as stored: the FHIR Device it is, and the keys derived from it on every write. */
@Schema({ collection: 'devices', versionKey: false })
export class DeviceDocument {
  @Prop({ type: String, required: true }) _id!: string;
  /** The patient `Device.patient` references, when linked. */
  @Prop() patientId?: string;
  /** The Device without `id` (and without the version and time `meta` the record holds), as FHIR JSON. */
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) device!: DeviceContent;
  @Prop() identifierKey?: string;
  @Prop({ type: [String], default: [] }) identifierKeys!: string[];
  @Prop({ required: true }) version!: number;
  @Prop({ required: true }) createdAt!: Date;
  @Prop({ required: true }) updatedAt!: Date;
  /** Write-ahead audit intents of changes whose ledger entry may not be written yet. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) auditOutbox!: AuditDraft[];
}

export const DeviceSchema = SchemaFactory.createForClass(DeviceDocument);
// Searches page by id: one index per filter, the id last.
DeviceSchema.index({ identifierKeys: 1, _id: 1 });
DeviceSchema.index({ patientId: 1, _id: 1 });
// One device per (first) identifier, enforced by the store's unique index on that identifier's key.
DeviceSchema.index({ identifierKey: 1 }, { unique: true, sparse: true });
DeviceSchema.index({ 'auditOutbox.at': 1 });
