import { countBundle, searchsetBundle } from './searchset';

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

  it('names ignored parameters in a closing outcome entry and leaves them out of the links', () => {
    const bundle = searchsetBundle(BASE, 'Patient', { family: 'oak', colour: 'red' }, [], undefined, [], {
      total: 0,
      ignored: ['colour'],
    });
    expect(bundle.total).toBe(0);
    expect(bundle.link).toEqual([{ relation: 'self', url: `${BASE}/Patient?family=oak` }]);
    expect(bundle.entry).toEqual([
      {
        resource: {
          resourceType: 'OperationOutcome',
          issue: [
            {
              severity: 'warning',
              code: 'not-supported',
              diagnostics: 'The search parameter is not supported and was ignored.',
              expression: ['colour'],
            },
          ],
        },
        search: { mode: 'outcome' },
      },
    ]);
  });

  it('a count is a total without entries', () => {
    const bundle = countBundle(BASE, 'Patient', { _summary: 'count' }, 7);
    expect(bundle).toEqual({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 7,
      link: [{ relation: 'self', url: `${BASE}/Patient?_summary=count` }],
    });
  });
});
