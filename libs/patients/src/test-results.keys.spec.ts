import { dateRange, effectiveRange, searchKeysOf } from './test-results.keys';

const at = (instant: string) => new Date(instant);

describe(dateRange.name, () => {
  it.each([
    ['a year', '2026', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
    ['a month', '2026-02', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z'],
    ['a day', '2026-12-31', '2026-12-31T00:00:00Z', '2027-01-01T00:00:00Z'],
    ['a minute', '2026-03-01T10:00+01:00', '2026-03-01T09:00:00Z', '2026-03-01T09:01:00Z'],
    ['a second', '2015-02-19T09:30:35+01:00', '2015-02-19T08:30:35Z', '2015-02-19T08:30:36Z'],
    ['a millisecond', '2026-03-01T10:00:00.250Z', '2026-03-01T10:00:00.250Z', '2026-03-01T10:00:00.251Z'],
  ])('%s stands for its whole span', (_story, value, start, end) => {
    expect(dateRange(value)).toEqual({ start: at(start), end: at(end) });
  });

  it.each(['2026-02-30', '2026-13', '26', '2026-03-01T10:00', 'yesterday', '2026-03-01T25:00:00Z'])(
    'refuses %s',
    (value) => expect(dateRange(value)).toBeUndefined(),
  );
});

describe(effectiveRange.name, () => {
  it('takes a period from the start of its start to the end of its end, open ends unbounded', () => {
    expect(
      effectiveRange({ status: 'final', code: {}, effectivePeriod: { start: '2026-01', end: '2026-02-03' } }),
    ).toEqual({
      start: at('2026-01-01T00:00:00Z'),
      end: at('2026-02-04T00:00:00Z'),
    });
    expect(
      effectiveRange({ status: 'final', code: {}, effectivePeriod: { start: '2026' } })?.end.getUTCFullYear(),
    ).toBe(9999);
  });
});

describe(searchKeysOf.name, () => {
  it('derives token, time, device and identifier keys from the Observation', () => {
    const keys = searchKeysOf({
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }, { code: 'hr' }] },
      category: [{ coding: [{ system: 'http://x', code: 'vital-signs' }] }],
      effectiveDateTime: '2026-03-01',
      device: { reference: 'Device/monitor-7' },
      identifier: [
        { system: 'urn:a', value: '1' },
        { system: 'urn:a', value: '2' },
      ],
    });
    expect(keys).toMatchObject({
      status: 'final',
      codeTokens: ['s:http://loinc.org|8867-4', 'c:8867-4', 'c:hr'],
      categoryTokens: ['s:http://x|vital-signs', 'c:vital-signs'],
      effectiveStart: at('2026-03-01T00:00:00Z'),
      effectiveEnd: at('2026-03-02T00:00:00Z'),
      device: 'Device/monitor-7',
    });
    expect(keys.identifierKeys).toHaveLength(2);
    expect(keys.identifierKey).toBe(keys.identifierKeys[0]);
    expect(JSON.stringify(keys)).not.toContain('urn:a');
  });
});
