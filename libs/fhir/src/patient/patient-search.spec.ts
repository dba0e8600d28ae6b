import { InvalidInputError } from '@hdp/platform';
import { toPatientSearch } from './patient-search';

describe(toPatientSearch.name, () => {
  it('maps FHIR parameters and result controls to the records search', async () => {
    const search = await toPatientSearch({
      identifier: 'https://fhir.nhs.uk/Id/nhs-number|9434765919',
      family: 'oak',
      given: 'tho',
      birthdate: 'eq1946-04-09',
      gender: 'male',
      _count: '5',
      _cursor: 'abc',
      _format: 'json',
    });
    expect({ ...search }).toEqual({
      identifier: 'https://fhir.nhs.uk/Id/nhs-number|9434765919',
      family: 'oak',
      given: 'tho',
      birthDate: '1946-04-09',
      gender: 'male',
      limit: 5,
      cursor: 'abc',
    });
  });

  it.each([
    ['an unknown parameter', { colour: 'red' }, 'colour'],
    ['a modifier', { 'family:exact': 'Oak' }, 'family:exact'],
    ['a repeated parameter', { family: ['a', 'b'] }, 'family'],
    ['a range prefix', { birthdate: 'ge2000-01-01' }, 'birthdate'],
    ['a malformed date', { birthdate: '2000' }, 'birthdate'],
    ['a count over the page limit', { _count: '1000' }, '_count'],
    ['a parameter name that is not one', { $where: '1' }, 'query'],
  ])('refuses %s (400, naming %s)', async (_story, query, param) => {
    const error = await toPatientSearch(query).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).issues.map((issue) => issue.path)).toContain(param);
  });
});
