import type { DeliveryResponseDto, ReminderResponseDto } from './dto/reminder.dto';
import type { ReminderRecord } from './reminder.schema';
import type { ReminderDeliveryRecord } from './scheduling/reminder-delivery.schema';

export function toReminderResponse(record: ReminderRecord): ReminderResponseDto {
  return {
    id: record._id,
    patientId: record.patientId,
    kind: record.kind,
    medicationName: record.medicationName,
    schedule: record.schedule && { ...record.schedule, times: [...record.schedule.times] },
    appointment: record.appointment,
    channel: record.channel,
    active: record.active,
    nextOccurrence: record.nextOccurrence?.toISOString(),
    nextDueAt: record.nextDueAt?.toISOString(),
    version: record.version,
    createdAt: record.createdAt.toISOString(),
  } as ReminderResponseDto;
}

export function toDeliveryResponse(record: ReminderDeliveryRecord): DeliveryResponseDto {
  return {
    occurrence: record.occurrence.toISOString(),
    dueAt: record.dueAt.toISOString(),
    deferredByQuietHours: record.dueAt.getTime() !== record.occurrence.getTime(),
    channel: record.channel,
    state: record.state,
    attempts: record.attempts,
    lastFailure: record.lastFailure,
    nextAttemptAt: record.state === 'retrying' ? record.nextAttemptAt?.toISOString() : undefined,
    sentAt: record.sentAt?.toISOString(),
  };
}
