import { createHash } from 'node:crypto';
import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { AuditDraft } from '@hdp/audit';
import type { Channel } from './dto/notification-preferences.dto';
import type { ReminderKind } from './dto/reminder.dto';
import type { AppointmentTime, MedicationSchedule } from './reminder-timing';

/** Due reminders are spread over this many lanes, so schedulers can poll different slices of them. */
export const REMINDER_LANES = 16;

/**
 * The lane of a patient's reminders and notification preferences. It is the patient's audit chain (same hash, with the default 16 chains), so schedulers busy in different lanes append to
 * different chains instead of colliding on one.
 */
export function reminderLaneOf(patientId: string): number {
  return createHash('sha256').update(patientId).digest().readUInt32BE(0) % REMINDER_LANES;
}

@Schema({ collection: 'reminders', versionKey: false })
export class ReminderRecord {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) patientId!: string;
  @Prop({ type: String, required: true }) kind!: ReminderKind;
  @Prop() medicationName?: string;
  @Prop({ type: MongooseSchema.Types.Mixed }) schedule?: MedicationSchedule;
  @Prop({ type: MongooseSchema.Types.Mixed }) appointment?: AppointmentTime;
  @Prop({ type: String, required: true }) channel!: Channel;
  /** Has an occurrence ahead and is not deleted: what the scheduler polls. */
  @Prop({ required: true }) active!: boolean;
  @Prop({ required: true }) deleted!: boolean;
  @Prop({ required: true }) lane!: number;
  @Prop({ type: Date }) nextOccurrence?: Date | null;
  @Prop({ type: Date }) nextDueAt?: Date | null;
  @Prop({ required: true }) version!: number;
  @Prop({ required: true }) createdAt!: Date;
  @Prop({ required: true }) updatedAt!: Date;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) auditOutbox!: AuditDraft[];
}

export const ReminderSchema = SchemaFactory.createForClass(ReminderRecord);
ReminderSchema.index({ lane: 1, active: 1, nextDueAt: 1 });
ReminderSchema.index({ patientId: 1, createdAt: 1 });
ReminderSchema.index({ 'auditOutbox.at': 1 });
