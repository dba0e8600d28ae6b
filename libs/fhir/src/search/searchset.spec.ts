import { searchsetBundle } from './searchset';

const BASE = 'https://fhir.example.org/fhir/R4';

describe(searchsetBundle.name, () => {
  it('links self and next, carrying the cursor and the other parameters but no offset', () => {
    const bundle = searchsetBundle(BASE, 'Patient', { family: 'oak', _cursor: 'c1' }, [], 'c2');
    expect(bundle.link).toEqual([
      { relation: 'self', url: `${BASE}/Patient?family=oak&_cursor=c1` },
      { relation: 'next', url: `${BASE}/Patient?family=oak&_cursor=c2` },
    ]);
  });

  it('repeats a repeated parameter in its links', () => {
    const bundle = searchsetBundle(BASE, 'Observation', { date: ['ge2020', 'lt2021'] }, [], undefined);
    expect(bundle.link).toEqual([{ relation: 'self', url: `${BASE}/Observation?date=ge2020&date=lt2021` }]);
  });

  it('has no next link on the last page', () => {
    expect(searchsetBundle(BASE, 'Patient', {}, [], undefined).link).toEqual([
      { relation: 'self', url: `${BASE}/Patient` },
    ]);
  });
});
