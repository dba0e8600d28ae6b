import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** A gateway's batch, held only until the pipeline has written its readings; then deleted. */
@Schema({ collection: 'device_intake', versionKey: false })
export class IntakeBatch {
  /** Each event as JSON text: stored verbatim, never as a document an operator could hide in. */
  @Prop({ type: [String], required: true })
  events!: string[];

  @Prop({ required: true })
  receivedAt!: Date;

  /** Claimable when in the past: a new batch has the epoch, a claimed one its lease's end. */
  @Prop({ required: true, index: true })
  leaseUntil!: Date;

  @Prop({ required: true, default: 0 })
  attempts!: number;
}

export const IntakeBatchSchema = SchemaFactory.createForClass(IntakeBatch);
