import { expectOutcome, FHIR_JSON } from './support/fhir-fixtures';
import { NHS, newNhsNumber } from './support/patients-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const SUBSETTED = 'SUBSETTED';

function fhirPatient() {
  return {
    resourceType: 'Patient',
    identifier: [{ system: NHS, value: newNhsNumber() }],
    name: [{ family: 'Baggins', given: ['Bilbo'] }],
    gender: 'male',
    birthDate: '1890-09-22',
  };
}

describe('FHIR result shaping: Prefer on writes, _elements on reads and searches', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await startTestApp();
  });

  afterAll(() => ctx.close());

  const create = (prefer?: string) => {
    const req = ctx.as().post('/fhir/R4/Patient').set('content-type', FHIR_JSON);
    return (prefer ? req.set('prefer', prefer) : req).send(JSON.stringify(fhirPatient()));
  };

  it('Prefer: return=minimal answers a create with no body, but with Location and ETag', async () => {
    const res = await create('return=minimal').expect(201);
    expect(res.text).toBe('');
    expect(res.headers.location).toMatch(/^\/fhir\/R4\/Patient\/[\w-]+\/_history\/1$/);
    expect(res.headers.etag).toBe('W/"1"');
    const id = res.headers.location.split('/')[4];
    const stored = await ctx.as().get(`/fhir/R4/Patient/${id}`).expect(200);
    expect(stored.body.name).toEqual([{ family: 'Baggins', given: ['Bilbo'] }]);
  });

  it('Prefer: return=OperationOutcome answers with what was written and no patient data', async () => {
    const res = await create('return=OperationOutcome').expect(201);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0]).toMatchObject({ severity: 'information', code: 'informational' });
    expect(res.body.issue[0].diagnostics).toMatch(/^Created Patient\/[\w-]+ version 1\.$/);
    expect(res.text).not.toContain('Baggins');
  });

  it('Prefer: return=representation, or no Prefer, or one not understood, answers with the resource', async () => {
    for (const prefer of ['return=representation', undefined, 'return=everything', 'respond-async']) {
      const res = await create(prefer).expect(201);
      expect(res.body).toMatchObject({ resourceType: 'Patient', name: [{ family: 'Baggins' }] });
    }
  });

  it('Prefer applies to updates, and never hides an error', async () => {
    const created = await create().expect(201);
    const id = created.body.id as string;
    const put = (ifMatch: string) =>
      ctx
        .as()
        .put(`/fhir/R4/Patient/${id}`)
        .set('content-type', FHIR_JSON)
        .set('if-match', ifMatch)
        .set('prefer', 'return=minimal')
        .send(JSON.stringify({ ...fhirPatient(), id, gender: 'other' }));
    const updated = await put('W/"1"').expect(200);
    expect(updated.text).toBe('');
    expect(updated.headers.etag).toBe('W/"2"');
    expectOutcome(await put('W/"1"'), 412);
  });

  it('_elements keeps the named top-level elements, id and meta, and tags the subset', async () => {
    const id = (await create().expect(201)).body.id as string;
    const res = await ctx.as().get(`/fhir/R4/Patient/${id}?_elements=gender,birthDate`).expect(200);
    expect(Object.keys(res.body).sort()).toEqual(['birthDate', 'gender', 'id', 'meta', 'resourceType']);
    expect(res.body.meta.tag).toContainEqual(expect.objectContaining({ code: SUBSETTED }));
    expect(res.headers.etag).toBe('W/"1"');
  });

  it('_elements applies to every match of a search and is kept in the paging links', async () => {
    const family = `Sub${Date.now()}`;
    for (let i = 0; i < 3; i += 1) {
      await ctx
        .as()
        .post('/fhir/R4/Patient')
        .set('content-type', FHIR_JSON)
        .send(JSON.stringify({ ...fhirPatient(), name: [{ family, given: ['Frodo'] }] }))
        .expect(201);
    }
    const res = await ctx.as().get(`/fhir/R4/Patient?family=${family}&_elements=name&_count=2`).expect(200);
    expect(res.body.entry).toHaveLength(2);
    for (const entry of res.body.entry) {
      expect(entry.resource.name[0].family).toBe(family);
      expect(entry.resource.gender).toBeUndefined();
      expect(entry.resource.meta.tag).toContainEqual(expect.objectContaining({ code: SUBSETTED }));
    }
    const next = (res.body.link as { relation: string; url: string }[]).find((l) => l.relation === 'next');
    expect(next?.url).toContain('_elements=name');
  });

  it('a malformed _elements is a 400 naming it, on reads and searches alike', async () => {
    const id = (await create().expect(201)).body.id as string;
    for (const path of [`/fhir/R4/Patient/${id}?_elements=`, `/fhir/R4/Patient?_elements=$where`]) {
      expectOutcome(await ctx.as().get(path), 400, '_elements');
    }
    expectOutcome(await ctx.as().get('/fhir/R4/Patient?_elements=a&_elements=b'), 400, '_elements');
  });
});
