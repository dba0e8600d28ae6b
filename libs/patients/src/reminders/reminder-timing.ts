import { DateTime } from 'luxon';

export const DAYS_OF_WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];

/** Medication times: local times of day on the chosen days (all when none), from startDate to endDate. */
export interface MedicationSchedule {
  readonly times: readonly string[];
  readonly daysOfWeek?: readonly DayOfWeek[];
  readonly startDate: string;
  readonly endDate?: string;
}

/** An appointment at a local date-time, reminded `remindMinutesBefore` it. */
export interface AppointmentTime {
  readonly at: string;
  readonly remindMinutesBefore: number;
}

export interface QuietHours {
  readonly start: string;
  readonly end: string;
}

export interface ReminderTiming {
  readonly schedule?: MedicationSchedule;
  readonly appointment?: AppointmentTime;
}

/** When a reminder next fires and when it is sent (later, when the occurrence falls in quiet hours). */
export interface NextDue {
  readonly occurrence: Date;
  readonly dueAt: Date;
}

/** A schedule looks this far ahead for its next matching day. */
const HORIZON_DAYS = 400;

/**
 * The first occurrence of a new or changed reminder: a medication's next time after `now`; an appointment's
 * reminder time even when it has passed (the appointment itself is still ahead), so it is sent at once.
 */
export function firstOccurrence(timing: ReminderTiming, zone: string, now: Date): Date | null {
  if (timing.appointment) return appointmentReminderTime(timing.appointment, zone);
  return nextMedicationTime(timing.schedule!, zone, now);
}

/** The occurrence after `previous`; null when the reminder has no more (an appointment fires once). */
export function followingOccurrence(timing: ReminderTiming, zone: string, previous: Date): Date | null {
  if (timing.appointment) return null;
  return nextMedicationTime(timing.schedule!, zone, previous);
}

/** The local wall-clock instant of an appointment, in `zone`. */
export function appointmentTime(appointment: AppointmentTime, zone: string): Date {
  return DateTime.fromISO(appointment.at, { zone }).toJSDate();
}

function appointmentReminderTime(appointment: AppointmentTime, zone: string): Date {
  return DateTime.fromISO(appointment.at, { zone })
    .minus({ minutes: appointment.remindMinutesBefore })
    .toJSDate();
}

function nextMedicationTime(schedule: MedicationSchedule, zone: string, after: Date): Date | null {
  const start = DateTime.fromISO(schedule.startDate, { zone });
  const from = DateTime.max(start, DateTime.fromJSDate(after, { zone }).startOf('day'));
  const end = schedule.endDate ? DateTime.fromISO(schedule.endDate, { zone }).endOf('day') : undefined;
  const times = [...schedule.times].sort().map(clockOf);
  for (let day = from; day.diff(from, 'days').days < HORIZON_DAYS; day = day.plus({ days: 1 })) {
    if (end && day > end) return null;
    if (schedule.daysOfWeek && !schedule.daysOfWeek.includes(DAYS_OF_WEEK[day.weekday - 1])) continue;
    for (const { hour, minute } of times) {
      // A time that does not exist that day (a DST gap) moves forward by the gap, as luxon does.
      const at = day.set({ hour, minute, second: 0, millisecond: 0 });
      if (at.toMillis() > after.getTime()) return at.toJSDate();
    }
  }
  return null;
}

/** Moves an occurrence inside the patient's quiet hours to their end (same night; spans midnight if start > end). */
export function deferForQuietHours(occurrence: Date, zone: string, quiet?: QuietHours): Date {
  if (!quiet) return occurrence;
  const local = DateTime.fromJSDate(occurrence, { zone });
  const minuteOfDay = local.hour * 60 + local.minute;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const endOn = (day: DateTime) => day.set({ ...clockOf(quiet.end), second: 0, millisecond: 0 });
  if (start < end) return start <= minuteOfDay && minuteOfDay < end ? endOn(local).toJSDate() : occurrence;
  if (minuteOfDay >= start) return endOn(local.plus({ days: 1 })).toJSDate();
  if (minuteOfDay < end) return endOn(local).toJSDate();
  return occurrence;
}

export function nextDue(occurrence: Date | null, zone: string, quiet?: QuietHours): NextDue | null {
  return occurrence && { occurrence, dueAt: deferForQuietHours(occurrence, zone, quiet) };
}

function clockOf(time: string): { hour: number; minute: number } {
  const [hour, minute] = time.split(':').map(Number);
  return { hour, minute };
}

function minutesOf(time: string): number {
  const { hour, minute } = clockOf(time);
  return hour * 60 + minute;
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}
