import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Channel } from '../dto/notification-preferences.dto';
import type { DeliveryState } from '../dto/reminder.dto';

/**
 * One occurrence of a reminder being delivered. Its `_id`, `<reminderId>:<occurrence ISO>`, is the claim:
 * only the scheduler whose insert succeeded sends the first attempt, so replicas never send one twice.
 */
@Schema({ collection: 'reminder_deliveries', versionKey: false })
export class ReminderDeliveryRecord {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) reminderId!: string;
  @Prop({ required: true }) patientId!: string;
  @Prop({ required: true }) occurrence!: Date;
  @Prop({ required: true }) dueAt!: Date;
  @Prop({ type: String, required: true }) channel!: Channel;
  @Prop({ type: String, required: true }) state!: DeliveryState;
  @Prop({ required: true }) attempts!: number;
  /** A `sending` delivery not finished by then is presumed lost with its scheduler. */
  @Prop({ type: Date }) leaseUntil?: Date;
  @Prop({ type: Date }) nextAttemptAt?: Date;
  @Prop() lastFailure?: string;
  @Prop({ type: Date }) sentAt?: Date;
  @Prop({ required: true }) updatedAt!: Date;
}

export const ReminderDeliverySchema = SchemaFactory.createForClass(ReminderDeliveryRecord);
ReminderDeliverySchema.index({ state: 1, nextAttemptAt: 1 });
ReminderDeliverySchema.index({ state: 1, leaseUntil: 1 });
ReminderDeliverySchema.index({ reminderId: 1, occurrence: -1 });
ReminderDeliverySchema.index({ patientId: 1 });

/**
 * The claim of a retry: `<delivery id>:attempt-<n>`. Whoever inserts it sends attempt n; a duplicate
 * insert means another scheduler has it.
 */
@Schema({ collection: 'reminder_delivery_attempts', versionKey: false })
export class ReminderAttemptClaimRecord {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) deliveryId!: string;
  @Prop({ required: true }) claimedAt!: Date;
}

export const ReminderAttemptClaimSchema = SchemaFactory.createForClass(ReminderAttemptClaimRecord);
ReminderAttemptClaimSchema.index({ deliveryId: 1 });
