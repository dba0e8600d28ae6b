import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { AuditDraft } from '@hdp/audit';

/**
 * One immutable version of a record (`_id` `"<id>:<version>"`): the whole stored record as it was after
 * the change. Inserted before the record itself is written, so its unique `_id` decides which of two
 * writers of the same version wins. `pending` and `draft` are kept until the record's write is known to be
 * done: recovery rolls a version still pending after a crash forward onto the record.
 */
@Schema({ versionKey: false })
export class ResourceVersionDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) resourceId!: string;
  @Prop({ required: true }) version!: number;
  /** The patient whose compartment the record lies in: history is filtered by it. */
  @Prop({ required: true }) patientId!: string;
  @Prop({ required: true }) updatedAt!: Date;
  @Prop({ required: true }) deleted!: boolean;
  /** The stored record (without `_id` and audit intents) as this version left it. */
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) state!: Record<string, unknown>;
  /** The batch marker of a version whose record write is not yet confirmed. */
  @Prop() pending?: string;
  /** The change's audit draft, for recovery to hold it in the record as it rolls the version forward. */
  @Prop({ type: MongooseSchema.Types.Mixed }) draft?: AuditDraft;
}

export const ResourceVersionSchema = SchemaFactory.createForClass(ResourceVersionDocument);
// History newest first: of one record, of a patient's compartment, of the whole type.
ResourceVersionSchema.index({ resourceId: 1, updatedAt: -1, _id: -1 });
ResourceVersionSchema.index({ patientId: 1, updatedAt: -1, _id: -1 });
ResourceVersionSchema.index({ updatedAt: -1, _id: -1 });
ResourceVersionSchema.index({ pending: 1 }, { sparse: true });

export const PATIENT_VERSIONS = 'PatientVersion';
export const TEST_RESULT_VERSIONS = 'TestResultVersion';

/** The version collections, one per record type, for MongooseModule.forFeature. */
export const VERSION_MODELS = [
  { name: PATIENT_VERSIONS, schema: ResourceVersionSchema, collection: 'patient_versions' },
  { name: TEST_RESULT_VERSIONS, schema: ResourceVersionSchema, collection: 'test_result_versions' },
];
