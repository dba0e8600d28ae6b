import { UtcInstant } from './utc-instant';

describe(UtcInstant.name, () => {
  const base = UtcInstant.of(Date.parse('2024-03-01T10:00:00.000Z'));

  it('writes seven fraction digits as .NET’s round-trip format does, and JSON with milliseconds at least', () => {
    const sut = UtcInstant.of(Date.parse('2024-03-01T10:59:59.999Z'), 9_999);
    expect([sut.toISOString(), sut.toJSON()]).toEqual([
      '2024-03-01T10:59:59.9999999Z',
      '2024-03-01T10:59:59.9999999Z',
    ]);
    expect([base.toISOString(), base.toJSON()]).toEqual([
      '2024-03-01T10:00:00.0000000Z',
      '2024-03-01T10:00:00.000Z',
    ]);
  });

  it('adds fractional milliseconds to the nearest tick, across millisecond boundaries either way', () => {
    expect(base.plusMs(1.23456).toISOString()).toBe('2024-03-01T10:00:00.0012346Z');
    expect(base.plusMs(-0.0001).toISOString()).toBe('2024-03-01T09:59:59.9999999Z');
    expect(base.plusMs(1000).msSince(base)).toBe(1000);
    expect(UtcInstant.of(base.epochMs, 5).msSince(base)).toBeCloseTo(0.0005, 10);
  });
});
