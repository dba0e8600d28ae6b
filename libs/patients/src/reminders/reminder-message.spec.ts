import { reminderMessage } from './reminder-message';

describe('reminderMessage', () => {
  const medication = { kind: 'medication' as const, medicationName: 'Metformin 500 mg' };

  it('says only "medication" unless the patient opted in to the name', () => {
    const plain = reminderMessage(medication, { timeZone: 'UTC', includeMedicationName: false });
    expect(plain).toEqual({ subject: 'Reminder', text: 'You have a medication reminder.' });
    const named = reminderMessage(medication, { timeZone: 'UTC', includeMedicationName: true });
    expect(named.text).toBe('You have a medication reminder: Metformin 500 mg.');
  });

  it('gives an appointment’s local date and time, nothing else', () => {
    const appointment = {
      kind: 'appointment' as const,
      appointment: { at: '2027-12-01T09:30', remindMinutesBefore: 60 },
    };
    const message = reminderMessage(appointment, {
      timeZone: 'America/New_York',
      includeMedicationName: true,
    });
    expect(message.text).toBe('You have an appointment on Wednesday 1 December 2027 at 09:30.');
  });
});
