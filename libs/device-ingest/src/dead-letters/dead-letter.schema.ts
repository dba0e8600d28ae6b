import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';

/** An event the pipeline could not map: kept (raw) until it is replayed after a template fix. */
@Schema({ collection: 'device_dead_letters', versionKey: false })
export class DeadLetter {
  @Prop({ required: true, enum: ['event-hub', 'http'] })
  source!: 'event-hub' | 'http';

  @Prop()
  partitionId?: string;

  @Prop()
  sequenceNumber?: number;

  /** What `raw` is: one event, or the readings of a group the store refused (`refusedGroupLetter`). */
  @Prop({ required: true, enum: ['event', 'group'], default: 'event' })
  holds!: 'event' | 'group';

  /** The event exactly as received, as JSON text (never parsed into the document: no operator can hide in it). */
  @Prop({ required: true })
  raw!: string;

  @Prop()
  templateName?: string;

  @Prop({ required: true })
  errorType!: string;

  @Prop({ required: true })
  reason!: string;

  @Prop({ required: true })
  message!: string;

  @Prop({ required: true, index: true })
  failedAt!: Date;

  @Prop({ required: true, default: 0 })
  replayAttempts!: number;
}

export type DeadLetterDocument = HydratedDocument<DeadLetter>;
export const DeadLetterSchema = SchemaFactory.createForClass(DeadLetter);
