import { randomUUID } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DateTime } from 'luxon';
import { AuditAction, AuditDraft, AuditLedgerService } from '@hdp/audit';
import { InvalidInputError, isRecordId } from '@hdp/platform';
import { requireIfMatch } from '../etag';
import { PatientAccessService } from '../patient-access.service';
import { AuditRecoveryService } from '../audit-recovery.service';
import { PatientDeletionCascade } from '../patient-deletion-cascade';
import { VersionMismatchError } from '../patients.errors';
import { recordEvent } from '../record-event';
import type { Channel } from './dto/notification-preferences.dto';
import { DeliveryListDto, ReminderDto, ReminderListDto, ReminderResponseDto } from './dto/reminder.dto';
import { NotificationPreferencesRepository } from './preferences/notification-preferences.repository';
import { NotificationPreferencesRecord } from './preferences/notification-preferences.schema';
import { NotificationPreferencesService } from './preferences/notification-preferences.service';
import { toDeliveryResponse, toReminderResponse } from './reminders.mapper';
import { ReminderContent, RemindersRepository } from './reminders.repository';
import { ReminderNotFoundError, TooManyRemindersError } from './reminders.errors';
import { appointmentTime, firstOccurrence, NextDue, nextDue } from './reminder-timing';
import { ReminderRecord } from './reminder.schema';
import { ReminderDeliveriesRepository } from './scheduling/reminder-deliveries.repository';

const REMINDER = 'CommunicationRequest';
const MAX_REMINDERS = 100;
const DEFAULT_REMIND_MINUTES_BEFORE = 1440;

/**
 * A patient's reminders: medication schedules and appointments, sent on the channel and at the times the
 * patient's preferences say. Every interaction is audited; the patient's access rules apply.
 */
@Injectable()
export class RemindersService implements OnModuleInit {
  constructor(
    private readonly repository: RemindersRepository,
    private readonly deliveries: ReminderDeliveriesRepository,
    private readonly preferences: NotificationPreferencesService,
    private readonly preferencesRepository: NotificationPreferencesRepository,
    private readonly access: PatientAccessService,
    private readonly ledger: AuditLedgerService,
    private readonly cascade: PatientDeletionCascade,
    private readonly recovery: AuditRecoveryService,
  ) {}

  onModuleInit(): void {
    // Reminder and preference changes whose writer died before the ledger entry are finished by the sweep.
    this.recovery.register(this.repository.intents);
    this.recovery.register(this.preferencesRepository.intents);
    this.cascade.register(async (patientId) => {
      await this.repository.markDeletedForPatient(patientId);
      await this.deliveries.removeForPatient(patientId);
      await this.preferencesRepository.remove(patientId);
    });
    this.preferences.onChange((preferences) => this.retime(preferences));
  }

  create(patientId: string, dto: ReminderDto): Promise<ReminderResponseDto> {
    const id = randomUUID();
    const event = { ...this.event(AuditAction.Create, patientId), resourceId: id, success: 201 };
    return this.ledger.change(event, async (draft) => {
      await this.access.requireLivePatient(patientId);
      const content = contentOf(dto);
      const preferences = await this.preferences.requireFor(patientId, content.channel);
      if ((await this.repository.countLive(patientId)) >= MAX_REMINDERS)
        throw new TooManyRemindersError(MAX_REMINDERS);
      const channel = content.channel ?? preferences.preferredChannel;
      const stored = await this.repository.insert(
        id,
        patientId,
        { ...content, channel },
        timingOfNew(content, preferences, new Date()),
        draft,
      );
      return this.settled(stored, draft);
    });
  }

  list(patientId: string): Promise<ReminderListDto> {
    return this.ledger.read(
      this.event(AuditAction.Search, patientId),
      async () => {
        await this.access.requireLivePatient(patientId);
        return { items: (await this.repository.listLive(patientId)).map(toReminderResponse) };
      },
      (list) => list.items.length,
    );
  }

  get(patientId: string, id: string): Promise<ReminderResponseDto> {
    return this.ledger.read(this.event(AuditAction.Read, patientId, id), async () =>
      toReminderResponse(await this.findAccessible(patientId, id)),
    );
  }

  replace(patientId: string, id: string, dto: ReminderDto, ifMatch?: string): Promise<ReminderResponseDto> {
    return this.ledger.change(this.event(AuditAction.Update, patientId, id), async (draft) => {
      const current = await this.findAccessible(patientId, id);
      requireIfMatch(ifMatch, current.version);
      const content = contentOf(dto);
      const preferences = await this.preferences.requireFor(patientId, content.channel);
      const channel = content.channel ?? preferences.preferredChannel;
      const next = timingOfNew(content, preferences, new Date());
      const stored = await this.repository.replace(id, current.version, { ...content, channel }, next, draft);
      if (!stored) throw new VersionMismatchError();
      return this.settled(stored, draft);
    });
  }

  delete(patientId: string, id: string, ifMatch?: string): Promise<void> {
    const event = { ...this.event(AuditAction.Delete, patientId, id), success: 204 };
    return this.ledger.change(event, async (draft) => {
      const current = await this.findAccessible(patientId, id);
      requireIfMatch(ifMatch, current.version);
      if (!(await this.repository.markDeleted(id, current.version, draft))) throw new VersionMismatchError();
      return { value: undefined, settle: () => this.repository.intents.clearLater(id, draft) };
    });
  }

  /** The reminder's deliveries, newest first: sent, retrying (with the next attempt's time) or failed. */
  deliveriesOf(patientId: string, id: string): Promise<DeliveryListDto> {
    return this.ledger.read(
      this.event(AuditAction.Search, patientId, id),
      async () => {
        await this.findAccessible(patientId, id);
        return { items: (await this.deliveries.listFor(id)).map(toDeliveryResponse) };
      },
      (list) => list.items.length,
    );
  }

  /** New time zone or quiet hours: every live reminder's next occurrence is computed again from now. */
  private async retime(preferences: NotificationPreferencesRecord): Promise<void> {
    const now = new Date();
    const reminders = await this.repository.listLive(preferences._id);
    await this.repository.retime(
      reminders.map((reminder) => ({ id: reminder._id, next: timingOf(reminder, preferences, now) })),
    );
  }

  private settled(stored: ReminderRecord | null, draft: AuditDraft) {
    if (!stored) throw new VersionMismatchError();
    return {
      value: toReminderResponse(stored),
      settle: () => this.repository.intents.clearLater(stored._id, draft),
    };
  }

  private async findAccessible(patientId: string, id: string): Promise<ReminderRecord> {
    await this.access.requireLivePatient(patientId);
    const found = isRecordId(id) ? await this.repository.findLive(patientId, id) : null;
    if (!found) throw new ReminderNotFoundError();
    return found;
  }

  private event(action: AuditAction, patientId: string, id?: string) {
    return recordEvent(action, REMINDER, patientId, id);
  }
}

type ReminderInput = Omit<ReminderContent, 'channel'> & { channel?: Channel };

/** The stored content of a reminder; its parts must fit its kind. */
function contentOf(dto: ReminderDto): ReminderInput {
  if (dto.kind === 'medication') {
    if (!dto.schedule || dto.appointment)
      throw invalid('schedule', 'medication reminders need a schedule and no appointment');
    if (dto.schedule.endDate && dto.schedule.endDate < dto.schedule.startDate)
      throw invalid('schedule.endDate', 'endDate must not be before startDate');
    const { medicationName, channel } = dto;
    return { kind: dto.kind, medicationName, schedule: { ...dto.schedule }, channel };
  }
  if (!dto.appointment || dto.schedule || dto.medicationName !== undefined)
    throw invalid(
      'appointment',
      'appointment reminders need an appointment, and no schedule or medicationName',
    );
  if (!DateTime.fromISO(dto.appointment.at).isValid)
    throw invalid('appointment.at', 'at must be a real date-time');
  const appointment = {
    at: dto.appointment.at,
    remindMinutesBefore: dto.appointment.remindMinutesBefore ?? DEFAULT_REMIND_MINUTES_BEFORE,
  };
  return { kind: dto.kind, appointment, channel: dto.channel };
}

/** A new or changed reminder's timing; an appointment must still be ahead in the patient's time zone. */
function timingOfNew(content: ReminderInput, preferences: NotificationPreferencesRecord, now: Date) {
  if (content.appointment && appointmentTime(content.appointment, preferences.timeZone) <= now)
    throw invalid('appointment.at', 'the appointment must be in the future');
  return timingOf(content, preferences, now);
}

/** When the reminder next fires, in the patient's time zone, and when it is sent (after quiet hours). */
function timingOf(
  content: Pick<ReminderContent, 'schedule' | 'appointment'>,
  preferences: NotificationPreferencesRecord,
  now: Date,
): NextDue | null {
  const zone = preferences.timeZone;
  return nextDue(firstOccurrence(content, zone, now), zone, preferences.quietHours);
}

function invalid(path: string, message: string): InvalidInputError {
  return new InvalidInputError('The request is invalid.', [{ path, message }]);
}
