import { InvalidInputError } from '@hdp/platform';
import { requestEntries, resolveReferences } from './bundle-entries';

const patient = { resourceType: 'Patient' };
const observation = (reference: string) => ({ resourceType: 'Observation', subject: { reference } });
const bundleOf = (...entry: object[]) => ({ resourceType: 'Bundle', type: 'batch', entry });

describe(requestEntries.name, () => {
  it('reads each method and URL shape as the interaction it asks for', () => {
    const { entries } = requestEntries(
      bundleOf(
        { resource: patient, request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=s|v' } },
        { resource: patient, request: { method: 'PUT', url: 'Patient/p1', ifMatch: 'W/"2"' } },
        { resource: patient, request: { method: 'PUT', url: 'Patient?identifier=s|v' } },
        { request: { method: 'DELETE', url: '/Observation/o1' } },
        { request: { method: 'GET', url: 'Observation/o1' } },
        { request: { method: 'GET', url: 'Observation?code=a&date=ge2026&date=lt2027' } },
      ),
    );
    expect(entries).toMatchObject([
      { action: 'create', type: 'Patient', ifNoneExist: { system: 's', value: 'v' } },
      { action: 'update', id: 'p1', ifMatch: 'W/"2"' },
      { action: 'conditional-update', criterion: { system: 's', value: 'v' } },
      { action: 'delete', type: 'Observation', id: 'o1' },
      { action: 'read', id: 'o1' },
      { action: 'search', query: { code: 'a', date: ['ge2026', 'lt2027'] } },
    ]);
  });

  it('refuses what it cannot run with an issue per entry request, and a body of another type', () => {
    const refused = () =>
      requestEntries(
        bundleOf(
          { request: { method: 'PATCH', url: 'Patient/p1' } },
          { request: { method: 'GET', url: 'Encounter/e1' } },
          { resource: observation('Patient/p1'), request: { method: 'PUT', url: 'Patient/p1' } },
          { request: { method: 'DELETE', url: 'Patient' } },
        ),
      );
    expect(refused).toThrow(InvalidInputError);
    try {
      refused();
    } catch (error) {
      expect((error as InvalidInputError).issues.map(({ path }) => path)).toEqual([
        'Bundle.entry[0].request',
        'Bundle.entry[1].request',
        'Bundle.entry[2].request',
        'Bundle.entry[3].request',
      ]);
    }
  });
});

describe(resolveReferences.name, () => {
  it('points references to a created entry’s fullUrl at the id assigned to it, leaving others alone', () => {
    const { entries } = requestEntries(
      bundleOf(
        { fullUrl: 'urn:uuid:a', resource: patient, request: { method: 'POST', url: 'Patient' } },
        { resource: observation('urn:uuid:a'), request: { method: 'POST', url: 'Observation' } },
        { resource: observation('Patient/other'), request: { method: 'POST', url: 'Observation' } },
      ),
    );
    const [created, refers, other] = resolveReferences(entries);
    const id = (created as { id: string }).id;
    expect(refers).toMatchObject({ resource: { subject: { reference: `Patient/${id}` } } });
    expect(other).toMatchObject({ resource: { subject: { reference: 'Patient/other' } } });
  });
});
