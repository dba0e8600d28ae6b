import { deferForQuietHours, firstOccurrence, followingOccurrence } from './reminder-timing';

const at = (iso: string) => new Date(iso);

describe('reminder timing', () => {
  const schedule = { times: ['20:00', '08:00'], startDate: '2027-03-27' };

  it('walks a schedule’s local times in order, across a change to summer time', () => {
    const first = firstOccurrence({ schedule }, 'Europe/London', at('2027-03-01T00:00:00Z'));
    expect(first).toEqual(at('2027-03-27T08:00:00Z'));
    const second = followingOccurrence({ schedule }, 'Europe/London', first!);
    expect(second).toEqual(at('2027-03-27T20:00:00Z'));
    // The clocks go forward on 28 March 2027: 08:00 is now 07:00 UTC.
    expect(followingOccurrence({ schedule }, 'Europe/London', second!)).toEqual(at('2027-03-28T07:00:00Z'));
  });

  it('stops after the end date and fires an appointment once', () => {
    const ending = { schedule: { ...schedule, endDate: '2027-03-27' } };
    expect(followingOccurrence(ending, 'UTC', at('2027-03-27T20:00:00Z'))).toBeNull();
    const appointment = { appointment: { at: '2027-05-01T10:00', remindMinutesBefore: 90 } };
    expect(firstOccurrence(appointment, 'Asia/Kolkata', at('2027-01-01T00:00:00Z'))).toEqual(
      at('2027-05-01T03:00:00Z'),
    );
    expect(followingOccurrence(appointment, 'Asia/Kolkata', at('2027-05-01T03:00:00Z'))).toBeNull();
  });

  it.each([
    ['inside quiet hours that span midnight, before it', '2027-06-01T22:30:00Z', '2027-06-02T06:00:00Z'],
    ['inside quiet hours that span midnight, after it', '2027-06-02T01:00:00Z', '2027-06-02T06:00:00Z'],
    ['outside quiet hours', '2027-06-01T12:00:00Z', '2027-06-01T12:00:00Z'],
    ['at their very end', '2027-06-02T06:00:00Z', '2027-06-02T06:00:00Z'],
  ])('defers an occurrence %s to their end', (_, occurrence, expected) => {
    const quiet = { start: '22:00', end: '07:00' };
    expect(deferForQuietHours(at(occurrence), 'Europe/London', quiet)).toEqual(at(expected));
  });

  it('defers within quiet hours on the same day', () => {
    const quiet = { start: '13:00', end: '14:30' };
    expect(deferForQuietHours(at('2027-01-05T13:10:00Z'), 'UTC', quiet)).toEqual(at('2027-01-05T14:30:00Z'));
  });
});
