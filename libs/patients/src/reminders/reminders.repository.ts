import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AuditDraft } from '@hdp/audit';
import type { Model } from 'mongoose';
import { AuditIntents } from '../audit-intents';
import { NextDue } from './reminder-timing';
import { reminderLaneOf, ReminderRecord } from './reminder.schema';

export type ReminderContent = Pick<
  ReminderRecord,
  'kind' | 'medicationName' | 'schedule' | 'appointment' | 'channel'
>;

/** Where a reminder stands after a scheduler has handled its occurrence `after`. */
export interface ReminderAdvance {
  readonly id: string;
  readonly lane: number;
  readonly after: Date;
  readonly next: NextDue | null;
}

const HIDE_OUTBOX = { auditOutbox: 0 };
const MAX_PER_PATIENT = 200;

/** The only code that touches the reminders collection. */
@Injectable()
export class RemindersRepository {
  readonly intents: AuditIntents<ReminderRecord>;

  constructor(@InjectModel(ReminderRecord.name) private readonly reminders: Model<ReminderRecord>) {
    this.intents = new AuditIntents(reminders);
  }

  async insert(
    id: string,
    patientId: string,
    content: ReminderContent,
    next: NextDue | null,
    draft: AuditDraft,
  ): Promise<ReminderRecord> {
    const now = new Date();
    const record = {
      _id: id,
      patientId,
      ...defined(content),
      ...timing(next),
      deleted: false,
      lane: reminderLaneOf(patientId),
      version: 1,
      createdAt: now,
      updatedAt: now,
      ...this.intents.hold(draft),
    };
    await this.reminders.collection.insertOne(record as object);
    return record as ReminderRecord;
  }

  async findLive(patientId: string, id: string) {
    return this.reminders.findOne({ _id: id, patientId, deleted: false }, HIDE_OUTBOX).lean<ReminderRecord>();
  }

  /** Live reminders by id (a scheduler's retries), keyed by id. */
  async findLiveByIds(ids: string[]): Promise<Map<string, ReminderRecord>> {
    const found = await this.reminders
      .find({ deleted: false, _id: { $in: [...new Set(ids)] } }, HIDE_OUTBOX)
      .lean<ReminderRecord[]>();
    return new Map(found.map((reminder) => [reminder._id, reminder]));
  }

  async listLive(patientId: string) {
    return this.reminders
      .find({ patientId, deleted: false }, HIDE_OUTBOX)
      .sort({ createdAt: 1, _id: 1 })
      .limit(MAX_PER_PATIENT)
      .lean<ReminderRecord[]>();
  }

  async countLive(patientId: string): Promise<number> {
    return this.reminders.countDocuments({ patientId, deleted: false });
  }

  async replace(
    id: string,
    version: number,
    content: ReminderContent,
    next: NextDue | null,
    draft: AuditDraft,
  ) {
    return this.reminders
      .findOneAndUpdate(
        { _id: id, version, deleted: false },
        {
          $set: { ...defined(content), ...timing(next), version: version + 1, updatedAt: new Date() },
          $unset: unsetAbsent(content),
          $push: { auditOutbox: draft },
        },
        { new: true },
      )
      .lean<ReminderRecord>();
  }

  async markDeleted(id: string, version: number, draft: AuditDraft) {
    return this.reminders
      .findOneAndUpdate(
        { _id: id, version, deleted: false },
        {
          $set: { deleted: true, active: false, version: version + 1, updatedAt: new Date() },
          $push: { auditOutbox: draft },
        },
        { new: true },
      )
      .lean<ReminderRecord>();
  }

  /** The patient's preferences changed: each live reminder's timing, recomputed by the caller. */
  async retime(updates: { id: string; next: NextDue | null }[]): Promise<void> {
    if (updates.length === 0) return;
    await this.reminders.bulkWrite(
      updates.map(({ id, next }) => ({
        updateOne: { filter: { _id: id, deleted: false }, update: { $set: timing(next) } },
      })),
      { ordered: false },
    );
  }

  async markDeletedForPatient(patientId: string): Promise<void> {
    await this.reminders.updateMany(
      { patientId, deleted: false },
      { $set: { deleted: true, active: false, updatedAt: new Date() } },
    );
  }

  /** Active reminders of one lane due by `now` (no sort: engines without sort push-down would sort them all). */
  async findDue(lane: number, now: Date, limit: number) {
    return this.reminders
      .find({ lane, active: true, nextDueAt: { $lte: now } }, HIDE_OUTBOX)
      .limit(limit)
      .lean<ReminderRecord[]>();
  }

  /**
   * Moves reminders past the occurrences just handled. Reminders of one lane moving to the same next
   * occurrence share one update (one per group, not one per reminder); `nextOccurrence: after` keeps a
   * scheduler that lags behind from moving a reminder back. Two schedulers writing the same advance agree.
   */
  async advance(advances: ReminderAdvance[]): Promise<void> {
    const groups = new Map<string, ReminderAdvance[]>();
    for (const advance of advances) {
      const key = `${advance.lane}|${advance.after.getTime()}|${advance.next?.occurrence.getTime()}|${advance.next?.dueAt.getTime()}`;
      groups.set(key, [...(groups.get(key) ?? []), advance]);
    }
    await Promise.all(
      [...groups.values()].map((group) =>
        this.reminders.updateMany(
          {
            lane: group[0].lane,
            active: true,
            nextOccurrence: group[0].after,
            _id: { $in: group.map(({ id }) => id) },
          },
          { $set: timing(group[0].next) },
        ),
      ),
    );
  }
}

function timing(next: NextDue | null) {
  return { active: next !== null, nextOccurrence: next?.occurrence ?? null, nextDueAt: next?.dueAt ?? null };
}

const OPTIONAL_FIELDS = ['medicationName', 'schedule', 'appointment'] as const;

function defined(content: ReminderContent): Partial<ReminderContent> {
  return Object.fromEntries(Object.entries(content).filter(([, value]) => value !== undefined));
}

/** A replaced reminder drops the optional fields its new content leaves out. */
function unsetAbsent(content: ReminderContent): Record<string, 1> {
  return Object.fromEntries(
    OPTIONAL_FIELDS.filter((field) => content[field] === undefined).map((field) => [field, 1]),
  );
}
