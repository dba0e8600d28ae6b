import { bucketBounds, dayKeyOf, weekKeyOf } from './bucket-keys';

describe('bucket keys', () => {
  it.each([
    ['2026-01-01T12:00:00Z', '2026-W01'],
    ['2027-01-01T00:00:00Z', '2026-W53'],
    ['2024-12-30T00:00:00Z', '2025-W01'],
    ['2026-03-08T23:59:59.999Z', '2026-W10'],
    ['2026-03-09T00:00:00Z', '2026-W11'],
  ])('puts %s in ISO week %s (UTC)', (at, week) => {
    expect(weekKeyOf(new Date(at))).toBe(week);
  });

  it('takes the UTC day, whatever the offset the time was written with', () => {
    expect(dayKeyOf(new Date('2026-03-09T00:30:00+02:00'))).toBe('2026-03-08');
  });

  it('gives each bucket its UTC start and exclusive end', () => {
    expect(bucketBounds('week', '2026-W11')).toEqual({
      start: new Date('2026-03-09T00:00:00Z'),
      end: new Date('2026-03-16T00:00:00Z'),
    });
    expect(bucketBounds('week', '2025-W01').start).toEqual(new Date('2024-12-30T00:00:00Z'));
    expect(bucketBounds('day', '2026-03-09')).toEqual({
      start: new Date('2026-03-09T00:00:00Z'),
      end: new Date('2026-03-10T00:00:00Z'),
    });
  });
});
