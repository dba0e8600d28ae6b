import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Observation } from 'fhir/r4';
import { Schema as MongooseSchema } from 'mongoose';

/** An Observation written by the staging sink, under its deterministic MedTech id. */
@Schema({ collection: 'device_observations', versionKey: false })
export class StagedObservation {
  /** The Observation's resource id (SHA-256 of its identifier). */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: MongooseSchema.Types.Mixed, required: true })
  resource!: Observation;

  /** Bumped by every write: the compare-and-set that keeps concurrent merges from losing readings. */
  @Prop({ required: true })
  revision!: number;
}

export const StagedObservationSchema = SchemaFactory.createForClass(StagedObservation);
