import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AuditDraft } from '@hdp/audit';
import type { Model } from 'mongoose';
import { AuditIntents } from '../../audit-intents';
import { isDuplicateKey } from '../../duplicate-key';
import { NotificationPreferencesRecord } from './notification-preferences.schema';

export type PreferencesContent = Omit<
  NotificationPreferencesRecord,
  '_id' | 'version' | 'updatedAt' | 'auditOutbox'
>;

const HIDE_OUTBOX = { auditOutbox: 0 };

/** The only code that touches the notification_preferences collection. */
@Injectable()
export class NotificationPreferencesRepository {
  readonly intents: AuditIntents<NotificationPreferencesRecord>;

  constructor(
    @InjectModel(NotificationPreferencesRecord.name)
    private readonly preferences: Model<NotificationPreferencesRecord>,
  ) {
    this.intents = new AuditIntents(preferences);
  }

  async find(patientId: string) {
    return this.preferences.findOne({ _id: patientId }, HIDE_OUTBOX).lean<NotificationPreferencesRecord>();
  }

  /** Preferences of several patients at once (a scheduler batch), by patient id: one primary-key query. */
  async findMany(patientIds: string[]): Promise<Map<string, NotificationPreferencesRecord>> {
    const found = await this.preferences
      .find({ _id: { $in: [...new Set(patientIds)] } }, HIDE_OUTBOX)
      .lean<NotificationPreferencesRecord[]>();
    return new Map(found.map((record) => [record._id, record]));
  }

  /** The first set of a patient; null when another request created it first. */
  async insert(patientId: string, content: PreferencesContent, draft: AuditDraft) {
    const record = {
      _id: patientId,
      ...content,
      version: 1,
      updatedAt: new Date(),
      auditOutbox: [draft],
    };
    try {
      await this.preferences.collection.insertOne(record as object);
      return record;
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  }

  async replace(patientId: string, version: number, content: PreferencesContent, draft: AuditDraft) {
    return this.preferences
      .findOneAndUpdate(
        { _id: patientId, version },
        { $set: { ...content, version: version + 1, updatedAt: new Date() }, $push: { auditOutbox: draft } },
        { new: true },
      )
      .lean<NotificationPreferencesRecord>();
  }

  async remove(patientId: string): Promise<void> {
    await this.preferences.deleteOne({ _id: patientId });
  }
}
