import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { AuditDraft } from '@hdp/audit';
import type { CodingDto, QuantityDto, ReferenceRangeDto, ResultStatus } from './dto/test-result.dto';

/** A test result as stored; the clinical fields are kept as the validated DTO gave them. */
@Schema({ collection: 'test_results', versionKey: false })
export class TestResultDocument {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) patientId!: string;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) code!: CodingDto;
  @Prop({ type: MongooseSchema.Types.Mixed }) valueQuantity?: QuantityDto;
  @Prop() valueString?: string;
  @Prop({ type: MongooseSchema.Types.Mixed }) valueCoding?: CodingDto;
  @Prop({ type: [MongooseSchema.Types.Mixed] }) referenceRange?: ReferenceRangeDto[];
  @Prop({ type: [MongooseSchema.Types.Mixed] }) interpretation?: CodingDto[];
  @Prop({ type: String, required: true }) status!: ResultStatus;
  @Prop({ required: true }) effectiveDateTime!: Date;
  @Prop() issued?: Date;
  @Prop({ type: [String] }) performer?: string[];
  @Prop() note?: string;
  @Prop({ required: true }) version!: number;
  @Prop({ required: true }) createdAt!: Date;
  @Prop({ required: true }) updatedAt!: Date;
  @Prop({ required: true }) deleted!: boolean;
  /** Write-ahead audit intents of changes whose ledger entry may not be written yet. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) auditOutbox!: AuditDraft[];
}

export const TestResultSchema = SchemaFactory.createForClass(TestResultDocument);
TestResultSchema.index({ patientId: 1, deleted: 1, effectiveDateTime: -1, _id: -1 });
TestResultSchema.index({ patientId: 1, 'code.code': 1, effectiveDateTime: -1 });
TestResultSchema.index({ 'auditOutbox.at': 1 });
