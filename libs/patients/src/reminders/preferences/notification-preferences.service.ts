import { Injectable } from '@nestjs/common';
import { AuditAction, AuditLedgerService, auditOutcomeOf } from '@hdp/audit';
import { requireIfMatch } from '../../etag';
import { PatientAccessService } from '../../patient-access.service';
import { VersionMismatchError } from '../../patients.errors';
import { recordEvent } from '../../record-event';
import {
  NotificationPreferencesDto,
  NotificationPreferencesResponseDto,
} from '../dto/notification-preferences.dto';
import { NoNotificationChannelError, NotificationPreferencesNotFoundError } from '../reminders.errors';
import { NotificationPreferencesRepository, PreferencesContent } from './notification-preferences.repository';
import { NotificationPreferencesRecord } from './notification-preferences.schema';

const PREFERENCES = 'NotificationPreferences';

/** The result of a PUT: whether it created the preferences (201) or replaced them (200). */
export interface PreferencesWrite {
  readonly created: boolean;
  readonly preferences: NotificationPreferencesResponseDto;
}

/** A patient's notification preferences: where reminders go, quiet hours, what messages may name. */
@Injectable()
export class NotificationPreferencesService {
  private readonly listeners: ((preferences: NotificationPreferencesRecord) => Promise<void>)[] = [];

  constructor(
    private readonly repository: NotificationPreferencesRepository,
    private readonly access: PatientAccessService,
    private readonly ledger: AuditLedgerService,
  ) {}

  /** Runs after every change (reminders re-time themselves to a new time zone or quiet hours). */
  onChange(listener: (preferences: NotificationPreferencesRecord) => Promise<void>): void {
    this.listeners.push(listener);
  }

  get(patientId: string): Promise<NotificationPreferencesResponseDto> {
    return this.ledger.read(this.event(AuditAction.Read, patientId), async () => {
      await this.access.requireLivePatient(patientId);
      const found = await this.repository.find(patientId);
      if (!found) throw new NotificationPreferencesNotFoundError();
      return toResponse(found);
    });
  }

  /** Creates the preferences, or replaces them (If-Match required then). */
  async put(patientId: string, dto: NotificationPreferencesDto, ifMatch?: string): Promise<PreferencesWrite> {
    const current = await this.currentForChange(patientId);
    const action = current ? AuditAction.Update : AuditAction.Create;
    const event = { ...this.event(action, patientId), success: current ? 200 : 201 };
    const written = await this.ledger.change(event, async (draft) => {
      if (current) requireIfMatch(ifMatch, current.version);
      const content = contentOf(dto);
      const stored = current
        ? await this.repository.replace(patientId, current.version, content, draft)
        : await this.repository.insert(patientId, content, draft);
      if (!stored) throw new VersionMismatchError();
      return { value: stored, settle: () => this.repository.intents.clearLater(patientId, draft) };
    });
    for (const listener of this.listeners) await listener(written);
    return { created: !current, preferences: toResponse(written) };
  }

  /** What a reminder of this patient needs; throws when the patient has none or lacks the channel. */
  async requireFor(patientId: string, channel?: string): Promise<NotificationPreferencesRecord> {
    const preferences = await this.repository.find(patientId);
    if (!preferences) throw new NoNotificationChannelError();
    const wanted = channel ?? preferences.preferredChannel;
    if (!preferences.channels[wanted as keyof typeof preferences.channels])
      throw new NoNotificationChannelError(wanted);
    return preferences;
  }

  /** The preferences a change replaces (null: none yet); a caller denied the patient is entered in the ledger. */
  private async currentForChange(patientId: string): Promise<NotificationPreferencesRecord | null> {
    try {
      await this.access.requireLivePatient(patientId);
      return await this.repository.find(patientId);
    } catch (error) {
      await this.ledger.record({
        ...this.event(AuditAction.Update, patientId),
        outcome: auditOutcomeOf(error),
      });
      throw error;
    }
  }

  private event(action: AuditAction, patientId: string) {
    return recordEvent(action, PREFERENCES, patientId, patientId);
  }
}

function contentOf(dto: NotificationPreferencesDto): PreferencesContent {
  if (!dto.channels[dto.preferredChannel]) throw new NoNotificationChannelError(dto.preferredChannel);
  return {
    timeZone: dto.timeZone,
    channels: JSON.parse(JSON.stringify(dto.channels)) as PreferencesContent['channels'],
    preferredChannel: dto.preferredChannel,
    ...(dto.quietHours && { quietHours: { start: dto.quietHours.start, end: dto.quietHours.end } }),
    includeMedicationName: dto.includeMedicationName ?? false,
  };
}

function toResponse(record: NotificationPreferencesRecord): NotificationPreferencesResponseDto {
  return {
    patientId: record._id,
    timeZone: record.timeZone,
    channels: record.channels,
    preferredChannel: record.preferredChannel,
    quietHours: record.quietHours,
    includeMedicationName: record.includeMedicationName,
    version: record.version,
    updatedAt: record.updatedAt.toISOString(),
  };
}
