import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { AuditDraft } from '@hdp/audit';
import type { Channel } from '../dto/notification-preferences.dto';
import type { QuietHours } from '../reminder-timing';

export interface NotificationChannels {
  readonly email?: { readonly address: string };
  readonly sms?: { readonly phone: string };
  readonly push?: { readonly handle: string; readonly platform: 'fcm' | 'apns' };
}

/** One patient's notification preferences; `_id` is the patient id (one set per patient). */
@Schema({ collection: 'notification_preferences', versionKey: false })
export class NotificationPreferencesRecord {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) timeZone!: string;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) channels!: NotificationChannels;
  @Prop({ type: String, required: true }) preferredChannel!: Channel;
  @Prop({ type: MongooseSchema.Types.Mixed }) quietHours?: QuietHours;
  @Prop({ required: true }) includeMedicationName!: boolean;
  @Prop({ required: true }) version!: number;
  @Prop({ required: true }) updatedAt!: Date;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) auditOutbox!: AuditDraft[];
}

export const NotificationPreferencesSchema = SchemaFactory.createForClass(NotificationPreferencesRecord);
NotificationPreferencesSchema.index({ 'auditOutbox.at': 1 });
