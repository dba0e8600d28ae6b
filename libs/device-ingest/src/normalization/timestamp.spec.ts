import { parseTimestamp } from './timestamp';

describe(parseTimestamp.name, () => {
  it.each([
    ['2019-02-01T22:46:01.8750000Z', '2019-02-01T22:46:01.875Z'],
    ['2024-03-01T08:30:00+01:00', '2024-03-01T07:30:00.000Z'],
    ['2024-03-01T08:30:00-0530', '2024-03-01T14:00:00.000Z'],
    ['2024-03-01T08:30:00', '2024-03-01T08:30:00.000Z'],
    ['2024-03-01 08:30', '2024-03-01T08:30:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('reads %s as %s', (text, expected) => {
    expect(parseTimestamp(text)?.toISOString()).toBe(expected);
  });

  it.each([
    1709287200,
    '1709287200',
    '2023-02-29T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-03-01T24:00:00Z',
    'yesterday',
    null,
  ])('does not take %p for a timestamp', (token) => {
    expect(parseTimestamp(token)).toBeUndefined();
  });
});
