import { Role } from '@hdp/platform';
import { createResource, expectOutcome } from './support/fhir-fixtures';
import { NHS, newNhsNumber } from './support/patients-fixtures';
import { startTestApp, TestApp } from './support/test-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- FHIR JSON as the tests send and read it
type Resource = Record<string, any>;

const LOINC = 'http://loinc.org';
const UNKNOWN_PATIENT = '4b1e7a52-0000-4000-8000-000000000000';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

describe('FHIR Observation search modifiers :not and :missing, and chained patient identifiers', () => {
  let ctx: TestApp;
  let patientId: string;
  const nhs = newNhsNumber();
  const named: Record<string, string> = {};

  const post = (type: string, body: Resource) => createResource(ctx, type, body);
  const observation = (code: string, extra: Resource = {}) => ({
    status: 'final',
    code: { coding: [{ system: LOINC, code }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: '2026-03-01T10:00:00Z',
    valueQuantity: { value: 1, unit: '1', system: 'http://unitsofmeasure.org', code: '1' },
    ...extra,
  });
  const search = async (query: string) => {
    const { body } = await ctx.as().get(`/fhir/R4/Observation?patient=${patientId}&${query}`).expect(200);
    const ids = ((body.entry ?? []) as Resource[]).map((entry) => entry.resource.id as string);
    return Object.keys(named)
      .filter((name) => ids.includes(named[name]))
      .sort();
  };

  beforeAll(async () => {
    ctx = await startTestApp();
    patientId = await post('Patient', {
      identifier: [{ system: NHS, value: nhs }],
      name: [{ family: 'Gamgee', given: ['Rosie'] }],
      gender: 'female',
      birthDate: '1984-03-10',
    });
    const vital = [{ coding: [{ system: CATEGORY, code: 'vital-signs' }] }];
    const lab = [{ coding: [{ system: CATEGORY, code: 'laboratory' }] }];
    named.heart = await post(
      'Observation',
      observation('8867-4', { category: vital, device: { reference: 'Device/d1' } }),
    );
    named.glucose = await post(
      'Observation',
      observation('2339-0', { category: lab, status: 'preliminary' }),
    );
    named.bare = await post('Observation', observation('8310-5'));
  });

  afterAll(() => ctx.close());

  it.each([
    ['code:not', 'code:not=8867-4', ['bare', 'glucose']],
    ['code:not with alternatives: none of them', 'code:not=8867-4,2339-0', ['bare']],
    ['code:not with a system', `code:not=${encodeURIComponent(`${LOINC}|2339-0`)}`, ['bare', 'heart']],
    ['code and code:not together', 'code=8867-4,2339-0&code:not=2339-0', ['heart']],
    ['category:not (a result without a category matches it)', 'category:not=laboratory', ['bare', 'heart']],
    ['status:not', 'status:not=final', ['glucose']],
    ['category:missing=true', 'category:missing=true', ['bare']],
    ['category:missing=false', 'category:missing=false', ['glucose', 'heart']],
    ['device:missing=true', 'device:missing=true', ['bare', 'glucose']],
    ['device:missing=false', 'device:missing=false', ['heart']],
  ])('%s', async (_story, query, expected) => {
    expect(await search(query)).toEqual(expected);
  });

  it.each([
    ['device:missing=maybe', 'device:missing'],
    ['status:not=done', 'status:not'],
    ['code:exact=8867-4', 'code:exact'],
    ['subject:missing=true', 'subject:missing'],
    ['code:not=', 'code:not'],
  ])('refuses %s with a 400 naming it', async (query, param) => {
    expectOutcome(await ctx.as().get(`/fhir/R4/Observation?patient=${patientId}&${query}`), 400, param);
  });

  it('chains subject:Patient.identifier and patient.identifier to the patient holding it', async () => {
    const chained = async (query: string) => {
      const { body } = await ctx.as().get(`/fhir/R4/Observation?${query}`).expect(200);
      return ((body.entry ?? []) as Resource[]).map((entry) => entry.resource.id as string).sort();
    };
    const all = Object.values(named).sort();
    const identifier = encodeURIComponent(`${NHS}|${nhs}`);
    expect(await chained(`subject:Patient.identifier=${identifier}`)).toEqual(all);
    expect(await chained(`patient.identifier=${identifier}&code=8867-4`)).toEqual([named.heart]);
    expect(await chained(`patient.identifier=${encodeURIComponent(`${NHS}|${newNhsNumber()}`)}`)).toEqual([]);
    const own = { patientId: UNKNOWN_PATIENT, roles: [Role.Patient], scopes: ['patient/*.rs'] };
    const { body } = await ctx
      .as(own)
      .get(`/fhir/R4/Observation?patient.identifier=${identifier}`)
      .expect(200);
    expect(body.entry ?? []).toEqual([]);
    expectOutcome(
      await ctx.as().get('/fhir/R4/Observation?patient.identifier=12345'),
      400,
      'patient.identifier',
    );
    expectOutcome(
      await ctx.as().get('/fhir/R4/Observation?subject.identifier=a|b'),
      400,
      'subject.identifier',
    );
  });

  it('Patient modifiers beyond those served are 400, never a wider search', async () => {
    expectOutcome(await ctx.as().get('/fhir/R4/Patient?name:not=x'), 400, 'name:not');
    expectOutcome(await ctx.as().get('/fhir/R4/Patient?birthdate:not=1990'), 400, 'birthdate:not');
  });
});
