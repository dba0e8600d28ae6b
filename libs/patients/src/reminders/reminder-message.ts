import { DateTime } from 'luxon';
import type { NotificationMessage } from './senders/notification-sender';
import { appointmentTime } from './reminder-timing';
import type { ReminderRecord } from './reminder.schema';

const SUBJECT = 'Reminder';

/**
 * The text a patient receives. A medication reminder names the medication only when the patient opted in;
 * an appointment reminder gives its local date and time, nothing about what it is for.
 */
export function reminderMessage(
  reminder: Pick<ReminderRecord, 'kind' | 'medicationName' | 'appointment'>,
  preferences: { timeZone: string; includeMedicationName: boolean },
): NotificationMessage {
  if (reminder.kind === 'appointment' && reminder.appointment) {
    const at = DateTime.fromJSDate(appointmentTime(reminder.appointment, preferences.timeZone), {
      zone: preferences.timeZone,
    });
    return {
      subject: SUBJECT,
      text: `You have an appointment on ${at.setLocale('en-GB').toFormat('cccc d LLLL yyyy')} at ${at.toFormat('HH:mm')}.`,
    };
  }
  const name = preferences.includeMedicationName ? reminder.medicationName : undefined;
  return {
    subject: SUBJECT,
    text: name ? `You have a medication reminder: ${name}.` : 'You have a medication reminder.',
  };
}
