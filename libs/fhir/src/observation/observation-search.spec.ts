import { InvalidInputError } from '@hdp/platform';
import { toObservationSearch } from './observation-search';

const PATIENT = '4b1e7a52-0000-4000-8000-000000000000';
const day = (date: string) => new Date(`${date}T00:00:00.000Z`);

describe(toObservationSearch.name, () => {
  it('maps parameters to the test results search: patient, tokens with alternatives, statuses, device, page', () => {
    expect(
      toObservationSearch({
        subject: `Patient/${PATIENT}`,
        patient: PATIENT,
        code: 'http://loinc.org|8867-4,8480-6',
        category: 'vital-signs',
        status: 'final,amended',
        device: 'Device/monitor-7',
        _count: '5',
        _cursor: 'c1',
        _format: 'json',
      }).search,
    ).toEqual({
      patientId: PATIENT,
      codeTokens: ['s:http://loinc.org|8867-4', 'c:8480-6'],
      categoryTokens: ['c:vital-signs'],
      statuses: ['final', 'amended'],
      device: 'Device/monitor-7',
      limit: 5,
      cursor: 'c1',
    });
  });

  it.each([
    [
      'no prefix: the range contains the result',
      '2026-03-01',
      { start: { $gte: day('2026-03-01') }, end: { $lte: day('2026-03-02') } },
    ],
    ['eq a month', 'eq2026-03', { start: { $gte: day('2026-03-01') }, end: { $lte: day('2026-04-01') } }],
    ['lt: starts before the range', 'lt2026', { start: { $lt: day('2026-01-01') } }],
    ['le: starts before the range ends', 'le2026-03-01', { start: { $lt: day('2026-03-02') } }],
    ['gt: ends after the range', 'gt2026-03-01', { end: { $gt: day('2026-03-02') } }],
    ['ge: ends after the range starts', 'ge2026-03-01', { end: { $gt: day('2026-03-01') } }],
    [
      'a dateTime: its second',
      'eq2026-03-01T10:00:00Z',
      { start: { $gte: new Date('2026-03-01T10:00:00Z') }, end: { $lte: new Date('2026-03-01T10:00:01Z') } },
    ],
  ])('date %s (%s)', (_story, date, condition) => {
    expect(toObservationSearch({ date }).search.effective).toEqual([condition]);
  });

  it.each([
    ['sa: starts after the range', 'sa2026-03-01', { start: { $gte: day('2026-03-02') } }],
    ['eb: ends before the range', 'eb2026-03-01', { end: { $lte: day('2026-03-01') } }],
    [
      'ne: not within the range',
      'ne2026-03-01',
      { anyOf: [{ start: { $lt: day('2026-03-01') } }, { end: { $gt: day('2026-03-02') } }] },
    ],
  ])('date %s (%s)', (_story, date, condition) => {
    expect(toObservationSearch({ date }).search.effective).toEqual([condition]);
  });

  it('value-quantity: a prefixed number to its precision, with a unit system and code', () => {
    const { search } = toObservationSearch({
      'value-quantity': ['gt100|http://unitsofmeasure.org|mm[Hg]', '120.0||mm[Hg]', 'ap50'],
    });
    expect(search.valueQuantity).toEqual([
      { value: { $gt: 100 }, system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
      { value: { $gte: 119.95, $lt: 120.05 }, code: 'mm[Hg]' },
      { value: { $gte: 45, $lte: 55 } },
    ]);
  });

  it('narrows by each repeated date', () => {
    expect(toObservationSearch({ date: ['ge2026-01-01', 'lt2026-02-01'] }).search.effective).toHaveLength(2);
  });

  it.each([
    ['an unknown parameter', { colour: 'red' }, 'colour'],
    ['a modifier', { 'code:text': 'pulse' }, 'code:text'],
    ['a code with an empty system', { code: '|8867-4' }, 'code'],
    ['an unknown date prefix', { date: 'xx2026-01-01' }, 'date'],
    ['a value-quantity that is not a number', { 'value-quantity': 'gtx|u|mm' }, 'value-quantity'],
    ['a value-quantity with a system but no code', { 'value-quantity': '5|u' }, 'value-quantity'],
    ['an unsupported sort key', { _sort: 'code' }, '_sort'],
    ['an impossible date', { date: '2026-02-30' }, 'date'],
    ['a date-time without a zone', { date: '2026-02-01T10:00' }, 'date'],
    ['an unknown status', { status: 'final,done' }, 'status'],
    ['a subject that is not a patient id', { subject: 'Group/1' }, 'subject'],
    [
      'subject and patient naming different patients',
      { subject: PATIENT, patient: PATIENT.replace('0', '1') },
      'patient',
    ],
    ['a count of zero', { _count: '0' }, '_count'],
    ['a parameter name that is not one', { $where: '1' }, 'query'],
  ])('refuses %s (400, naming %s)', (_story, query, param) => {
    const search = () => toObservationSearch(query);
    expect(search).toThrow(InvalidInputError);
    try {
      search();
    } catch (error) {
      expect((error as InvalidInputError).issues.map((issue) => issue.path)).toContain(param);
    }
  });
});
