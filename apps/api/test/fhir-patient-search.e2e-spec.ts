import { Role } from '@hdp/platform';
import { createResource, expectOutcome } from './support/fhir-fixtures';
import { NHS, newNhsNumber } from './support/patients-fixtures';
import { startTestApp, TestApp } from './support/test-app';

describe('FHIR Patient search: names, identifiers, dates and modifiers', () => {
  let ctx: TestApp;
  // One family per run, so the searches see only this suite's patients.
  const tag = `Zq${Date.now().toString(36)}`;
  const people: Record<string, { id: string; nhs: string }> = {};
  let createdAfter: string;

  const patient = (family: string, given: string, birthDate: string, nhs: string) => ({
    identifier: [{ system: NHS, value: nhs }],
    name: [{ family, given: [given] }],
    gender: 'female',
    birthDate,
  });
  const add = async (name: string, family: string, given: string, birthDate: string) => {
    const nhs = newNhsNumber();
    people[name] = { id: await createResource(ctx, 'Patient', patient(family, given, birthDate, nhs)), nhs };
  };
  /** The names (keys of `people`) a search as `principal` finds. */
  const found = async (query: string, principal = {}) => {
    const res = await ctx.as(principal).get(`/fhir/R4/Patient?${query}&_count=100`).expect(200);
    const bundle = res.body as { entry?: { resource: { id: string } }[] };
    const ids = (bundle.entry ?? []).map((entry) => entry.resource.id);
    return Object.keys(people)
      .filter((name) => ids.includes(people[name].id))
      .sort();
  };

  beforeAll(async () => {
    ctx = await startTestApp();
    await add('elanor', `${tag}Gamgee`, 'Élanor', '1990-03-25');
    await add('rose', `${tag}Cotton`, 'Rose', '1990-12-31');
    await add('frodo', `${tag}baggins`, `${tag}Frodo`, '1968-09-22');
    createdAfter = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await add('merry', `${tag}Brandybuck`, 'Meriadoc', '1982-07-01');
  });

  afterAll(() => ctx.close());

  it.each([
    ['name matches a family from its start', `name=${tag}gam`, ['elanor']],
    ['name matches a given name too', `name=${tag}fro`, ['frodo']],
    ['family ignores case and accents', `family=${tag.toUpperCase()}C`, ['rose']],
    ['given ignores accents', `given=elan&family=${tag}`, ['elanor']],
    ['family:exact is case-sensitive (no match)', `family:exact=${tag}Baggins`, []],
    ['family:exact matches as stored', `family:exact=${tag}baggins`, ['frodo']],
    ['given:exact', `given:exact=Élanor&family=${tag}`, ['elanor']],
    ['family:contains finds a middle', `family:contains=${tag.toLowerCase()}bran`, ['merry']],
    ['family:contains ignores case', `family:contains=OTTO&family=${tag}`, ['rose']],
  ])('%s', async (_story, query, expected) => {
    expect(await found(query)).toEqual(expected);
  });

  it('identifier as system|value, as a value in any system, and |value (no system: none held)', async () => {
    const { nhs } = people.rose;
    expect(await found(`identifier=${encodeURIComponent(`${NHS}|${nhs}`)}`)).toEqual(['rose']);
    expect(await found(`identifier=${nhs}`)).toEqual(['rose']);
    expect(await found(`identifier=${encodeURIComponent(`|${nhs}`)}`)).toEqual([]);
  });

  it('_id finds one patient; a patient-context token finds only itself', async () => {
    expect(await found(`_id=${people.merry.id}`)).toEqual(['merry']);
    const own = { patientId: people.rose.id, roles: [Role.Patient], scopes: ['patient/Patient.rs'] };
    expect(await found(`_id=${people.merry.id}`, own)).toEqual([]);
    expect(await found(`family=${tag}`, own)).toEqual(['rose']);
  });

  it.each([
    ['a year (eq)', 'birthdate=1990', ['elanor', 'rose']],
    ['a month', 'birthdate=1990-03', ['elanor']],
    ['ne a year', 'birthdate=ne1990', ['frodo', 'merry']],
    ['lt', 'birthdate=lt1982-07-01', ['frodo']],
    ['le', 'birthdate=le1982-07-01', ['frodo', 'merry']],
    ['gt', 'birthdate=gt1990-03-25', ['rose']],
    ['ge', 'birthdate=ge1990-03-25', ['elanor', 'rose']],
    ['sa (starts after the year)', 'birthdate=sa1982', ['elanor', 'rose']],
    ['eb (ends before the year)', 'birthdate=eb1982', ['frodo']],
    ['a range by repetition', 'birthdate=ge1980&birthdate=lt1990-06', ['elanor', 'merry']],
  ])('birthdate: %s', async (_story, query, expected) => {
    expect(await found(`family=${tag}&${query}`)).toEqual(expected);
  });

  it('_lastUpdated compares the record’s update time', async () => {
    const after = encodeURIComponent(`gt${createdAfter}`);
    expect(await found(`family=${tag}&_lastUpdated=${after}`)).toEqual(['merry']);
    const before = encodeURIComponent(`le${createdAfter}`);
    expect(await found(`family=${tag}&_lastUpdated=${before}`)).toEqual(['elanor', 'frodo', 'rose']);
  });

  it('POST _search with a form body finds what GET finds, URL and form parameters together', async () => {
    const post = (path: string, form: string) =>
      ctx.as().post(path).set('content-type', 'application/x-www-form-urlencoded').send(form).expect(200);
    const viaForm = await post('/fhir/R4/Patient/_search', `family=${tag}&birthdate=1990&_count=100`);
    const names = (res: { body: unknown }) =>
      ((res.body as { entry?: { resource: { id: string } }[] }).entry ?? [])
        .map((entry) => Object.keys(people).find((name) => people[name].id === entry.resource.id))
        .sort();
    expect(names(viaForm)).toEqual(['elanor', 'rose']);
    const mixed = await post(`/fhir/R4/Patient/_search?family=${tag}`, 'birthdate=1990-12');
    expect(names(mixed)).toEqual(['rose']);
    const observations = await post('/fhir/R4/Observation/_search', `patient=${people.rose.id}`);
    expect((observations.body as { type: string }).type).toBe('searchset');
  });

  it('POST _search refuses other bodies (415), oversized forms (413) and bad parameters (400)', async () => {
    const post = () => ctx.as().post('/fhir/R4/Patient/_search');
    expectOutcome(await post().set('content-type', 'application/fhir+json').send('{}'), 415);
    expectOutcome(
      await post()
        .set('content-type', 'application/x-www-form-urlencoded')
        .send(`family=${'a'.repeat(20_000)}`),
      413,
    );
    expectOutcome(
      await post().set('content-type', 'application/x-www-form-urlencoded').send('colour=red'),
      400,
      'colour',
    );
  });

  it.each([
    ['birthdate=xx1990', 'birthdate'],
    ['birthdate=1990-02-30', 'birthdate'],
    ['_lastUpdated=yesterday', '_lastUpdated'],
    ['gender=f', 'gender'],
    ['_id=../x', '_id'],
    ['name:exact=x', 'name:exact'],
    ['identifier=a|b|c', 'identifier'],
  ])('refuses %s with a 400 naming the parameter', async (query, param) => {
    expectOutcome(await ctx.as().get(`/fhir/R4/Patient?${query}`), 400, param);
  });
});
