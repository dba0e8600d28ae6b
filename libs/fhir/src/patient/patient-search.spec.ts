import { InvalidInputError } from '@hdp/platform';
import { toPatientSearch } from './patient-search';

describe(toPatientSearch.name, () => {
  it('maps FHIR parameters, modifiers and result controls to the records search', () => {
    const { search, ignored } = toPatientSearch({
      _id: '4b1e7a52-0000-4000-8000-000000000000',
      identifier: 'https://fhir.nhs.uk/Id/nhs-number|9434765919',
      name: 'Thó',
      family: 'Óak',
      'given:exact': 'Thorin',
      'family:contains': 'ensh',
      birthdate: ['ge1946', 'lt1946-05'],
      gender: 'male',
      _lastUpdated: 'ne2026-11-23',
      _sort: '-birthdate',
      _total: 'accurate',
      _count: '5',
      _cursor: 'abc',
      _format: 'json',
      _elements: 'name',
    });
    expect(ignored).toEqual([]);
    expect(search).toEqual({
      id: '4b1e7a52-0000-4000-8000-000000000000',
      identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765919' },
      namePrefix: 'tho',
      familyPrefix: 'oak',
      givenExact: 'Thorin',
      familyContains: 'ensh',
      birthDates: [{ $gte: '1946-01-01' }, { $lt: '1946-05-01' }],
      genders: ['male'],
      lastUpdated: [
        {
          outside: {
            start: new Date('2026-11-23T00:00:00Z'),
            end: new Date('2026-11-24T00:00:00Z'),
          },
        },
      ],
      sort: { key: 'birthDate', descending: true },
      total: 'accurate',
      limit: 5,
      cursor: 'abc',
    });
  });

  it.each([
    ['eq1946-04-09', { $gte: '1946-04-09', $lt: '1946-04-10' }],
    ['1946-04', { $gte: '1946-04-01', $lt: '1946-05-01' }],
    ['le1946', { $lt: '1947-01-01' }],
    ['gt1946-04-09', { $gte: '1946-04-10' }],
    ['sa1946-04-09', { $gte: '1946-04-10' }],
    ['eb1946-04-09', { $lt: '1946-04-09' }],
  ])('birthdate=%s compares a day with the range the value stands for', (value, condition) => {
    expect(toPatientSearch({ birthdate: value }).search.birthDates).toEqual([condition]);
  });

  it.each([
    ['identifier', 'urn:x|', 'system|value, |value or value'],
    ['identifier', '9434765919', undefined],
  ])('identifier=%s', (_param, value, refusal) => {
    const run = () => toPatientSearch({ identifier: value });
    if (refusal) expect(run).toThrow(InvalidInputError);
    else expect(run().search).toEqual({ identifierValue: value });
  });

  it('ap widens the day by a tenth of the time to now; a comma gives alternatives', () => {
    const { search } = toPatientSearch({ birthdate: 'ap1990,2000-03' });
    const [condition] = search.birthDates ?? [];
    expect(condition).toEqual({
      anyOf: [
        // 1990 asked in 2026-2027: about 3.7 years either way.
        { $gte: expect.stringMatching(/^1986-/), $lt: expect.stringMatching(/^1994-/) },
        { $gte: '2000-03-01', $lt: '2000-04-01' },
      ],
    });
  });

  it('gender takes alternatives, :not and :missing', () => {
    const { search } = toPatientSearch({
      gender: 'male,female',
      'gender:not': 'unknown',
      'birthdate:missing': 'false',
    });
    expect(search).toEqual({
      genders: ['male', 'female'],
      notGenders: ['unknown'],
      missing: { birthDate: false },
    });
  });

  it('lenient handling names unknown parameters instead of refusing them', () => {
    expect(toPatientSearch({ colour: 'red', family: 'oak' }, 'lenient')).toEqual({
      search: { familyPrefix: 'oak' },
      ignored: ['colour'],
    });
  });

  it.each([
    ['an unknown parameter', { colour: 'red' }, 'colour'],
    ['an unsupported modifier', { 'name:not': 'x' }, 'name:not'],
    ['an unsupported sort key', { _sort: 'gender' }, '_sort'],
    ['an unsupported total', { _total: 'some' }, '_total'],
    ['a summary other than count or false', { _summary: 'text' }, '_summary'],
    ['a missing that is not true or false', { 'gender:missing': 'yes' }, 'gender:missing'],
    ['a repeated parameter that does not repeat', { family: ['a', 'b'] }, 'family'],
    ['an unknown prefix', { birthdate: 'xx2000-01-01' }, 'birthdate'],
    ['a birth date with a time', { birthdate: '2000-01-01T10:00:00Z' }, 'birthdate'],
    ['a malformed date', { birthdate: '2000-13' }, 'birthdate'],
    ['an id that is not one', { _id: 'x' }, '_id'],
    ['a gender outside the value set', { gender: 'm' }, 'gender'],
    ['a name of punctuation only', { name: '  ' }, 'name'],
    ['a count over the page limit', { _count: '1000' }, '_count'],
    ['a parameter name that is not one', { $where: '1' }, 'query'],
  ])('refuses %s (400, naming %s)', (_story, query, param) => {
    let error: unknown;
    try {
      toPatientSearch(query);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).issues.map((issue) => issue.path)).toContain(param);
  });
});
