import { parseTimestamp } from './timestamp';

describe(parseTimestamp.name, () => {
  it.each([
    ['2019-02-01T22:46:01.8750000Z', '2019-02-01T22:46:01.875Z'],
    ['2024-02-29T23:59:59.999Z', '2024-02-29T23:59:59.999Z'],
    ['2024-03-01T08:30:00.120z', '2024-03-01T08:30:00.120Z'],
    ['2024-03-01T08:30:00+01:00', '2024-03-01T07:30:00.000Z'],
    ['2024-03-01T08:30:00-0530', '2024-03-01T14:00:00.000Z'],
    ['2024-03-01T08:30:00', '2024-03-01T08:30:00.000Z'],
    ['2024-03-01 08:30', '2024-03-01T08:30:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2019-01-30T22:45:02.6073744Z', '2019-01-30T22:45:02.6073744Z'],
    ['2019-01-30T23:45:02.60737+01:00', '2019-01-30T22:45:02.60737Z'],
    ['2019-01-30T22:45:02.607374499Z', '2019-01-30T22:45:02.6073744Z'],
  ])('reads %s as %s', (text, expected) => {
    expect(parseTimestamp(text)?.toJSON()).toBe(expected);
  });

  it.each([
    1709287200,
    '1709287200',
    '2023-02-29T00:00:00Z',
    '2023-02-29T00:00:00.000Z',
    '2024-04-31T00:00:00.000Z',
    '2024-03-01T23:60:00.000Z',
    '2024-03-01T08:30:00.12xZ',
    '2024-13-01T00:00:00Z',
    '2024-03-01T24:00:00Z',
    'yesterday',
    null,
  ])('does not take %p for a timestamp', (token) => {
    expect(parseTimestamp(token)).toBeUndefined();
  });

  it('keeps 100 ns ticks: instants a tick apart are different and ordered', () => {
    const earlier = parseTimestamp('2019-01-30T22:45:02.6073744Z')!;
    const later = parseTimestamp('2019-01-30T22:45:02.6073745Z')!;
    expect(earlier.compare(later)).toBeLessThan(0);
    expect(later.toISOString()).toBe('2019-01-30T22:45:02.6073745Z');
    expect(earlier.getTime()).toBe(Date.parse('2019-01-30T22:45:02.607Z'));
  });
});
