import { createResource, expectOutcome } from './support/fhir-fixtures';
import { NHS, newNhsNumber } from './support/patients-fixtures';
import { startTestApp, TestApp } from './support/test-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- FHIR JSON as the tests send and read it
type Resource = Record<string, any>;

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

describe('FHIR search parameters: ap, value-quantity, _lastUpdated, gender, :missing, OR and AND', () => {
  let ctx: TestApp;
  let patientId: string;
  const people: Record<string, string> = {};
  const results: Record<string, string> = {};
  let updatedBetween: string;

  const names = (found: Record<string, string>, body: Resource) => {
    const ids = ((body.entry ?? []) as Resource[]).map((entry) => entry.resource.id as string);
    return Object.keys(found)
      .filter((name) => ids.includes(found[name]))
      .sort();
  };
  const patientsFound = async (query: string) =>
    names(people, (await ctx.as().get(`/fhir/R4/Patient?${query}&_count=100`).expect(200)).body);
  const resultsFound = async (query: string) =>
    names(
      results,
      (await ctx.as().get(`/fhir/R4/Observation?patient=${patientId}&${query}&_count=100`).expect(200)).body,
    );

  const addPatient = async (name: string, gender: string, birthDate: string) => {
    people[name] = await createResource(ctx, 'Patient', {
      identifier: [{ system: NHS, value: newNhsNumber() }],
      name: [{ family: name, given: ['Test'] }],
      gender,
      birthDate,
    });
  };
  const addResult = async (
    name: string,
    code: string,
    category: string,
    effectiveDateTime: string,
    value: Resource,
  ) => {
    results[name] = await createResource(ctx, 'Observation', {
      status: 'final',
      category: [{ coding: [{ system: CATEGORY, code: category }] }],
      code: { coding: [{ system: LOINC, code }] },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime,
      ...value,
    });
  };

  beforeAll(async () => {
    ctx = await startTestApp();
    await addPatient('elanor', 'female', '1990-03-25');
    await addPatient('rose', 'other', '1990-12-31');
    await addPatient('frodo', 'male', '1968-09-22');
    await addPatient('merry', 'male', '1982-07-01');
    patientId = people.rose;
    const quantity = (value: number, code: string) => ({
      valueQuantity: { value, unit: code, system: UCUM, code },
    });
    await addResult('systolic', '8480-6', 'vital-signs', '2020-06-15T10:00:00Z', quantity(130, 'mm[Hg]'));
    await addResult('pulse', '8867-4', 'vital-signs', '2021-01-10T08:00:00Z', quantity(72, '/min'));
    updatedBetween = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await addResult('glucose', '2339-0', 'laboratory', '2022-05-01T09:00:00Z', quantity(5.4, 'mmol/L'));
    await addResult('note', '8310-5', 'laboratory', '2023-01-01T00:00:00Z', { valueString: 'not measured' });
  });

  afterAll(() => ctx.close());

  it.each([
    // 1990-06 asked in 2026: about 3.6 years either way.
    ['ap a month, 36 years ago', 'birthdate=ap1990-06', ['elanor', 'rose']],
    ['ap a day, 43 years ago (4.3 years either way)', 'birthdate=ap1984-01-01', ['merry']],
    ['comma OR', 'birthdate=1968,1982', ['frodo', 'merry']],
    ['repeated AND', 'birthdate=ge1980&birthdate=lt1990-06', ['elanor', 'merry']],
    [
      'birthdate:missing=false (every record has one)',
      'birthdate:missing=false',
      ['elanor', 'frodo', 'merry', 'rose'],
    ],
    ['birthdate:missing=true', 'birthdate:missing=true', []],
  ])('Patient birthdate: %s', async (_story, query, expected) => {
    expect(await patientsFound(query)).toEqual(expected);
  });

  it.each([
    ['one', 'gender=male', ['frodo', 'merry']],
    ['comma OR', 'gender=female,other', ['elanor', 'rose']],
    ['repeated AND of two parameters', 'gender=male&birthdate=1968', ['frodo']],
    [':not', 'gender:not=male', ['elanor', 'rose']],
    [':not with alternatives', 'gender:not=male,other', ['elanor']],
    [':missing=true', 'gender:missing=true', []],
    [':missing=false', 'gender:missing=false', ['elanor', 'frodo', 'merry', 'rose']],
    ['family:missing=false', 'family:missing=false', ['elanor', 'frodo', 'merry', 'rose']],
    ['identifier:missing=true', 'identifier:missing=true', []],
  ])('Patient gender: %s', async (_story, query, expected) => {
    expect(await patientsFound(query)).toEqual(expected);
  });

  it.each([
    ['ap a day 6.7 years ago (about 8 months either way)', 'date=ap2020-03-01', ['systolic']],
    ['ap a year far from all', 'date=ap2010', []],
    ['sa: starts after 2021 ends', 'date=sa2021', ['glucose', 'note']],
    ['eb: ends before 2021 starts', 'date=eb2021', ['systolic']],
    ['ne a year', 'date=ne2021', ['glucose', 'note', 'systolic']],
    ['comma OR', 'date=2020-06-15,2022-05', ['glucose', 'systolic']],
    ['repeated AND', 'date=ge2021&date=lt2022-06', ['glucose', 'pulse']],
  ])('Observation date: %s', async (_story, query, expected) => {
    expect(await resultsFound(query)).toEqual(expected);
  });

  it.each([
    ['gt with system and code', `value-quantity=${encodeURIComponent(`gt100|${UCUM}|mm[Hg]`)}`, ['systolic']],
    ['a number to its precision (72 is [71.5, 72.5))', 'value-quantity=72', ['pulse']],
    ['any system, a code', `value-quantity=${encodeURIComponent('5.4||mmol/L')}`, ['glucose']],
    ['lt', 'value-quantity=lt100', ['glucose', 'pulse']],
    ['ap: within 10%', 'value-quantity=ap125', ['systolic']],
    ['another unit matches nothing', `value-quantity=${encodeURIComponent(`gt100|${UCUM}|/min`)}`, []],
    ['repeated AND', 'value-quantity=gt50&value-quantity=lt100', ['pulse']],
    [':missing=true', 'value-quantity:missing=true', ['note']],
  ])('Observation value-quantity: %s', async (_story, query, expected) => {
    expect(await resultsFound(query)).toEqual(expected);
  });

  it.each([
    ['code comma OR', 'code=8480-6,8867-4', ['pulse', 'systolic']],
    ['code repeated AND (one code each: none has both)', 'code=8480-6&code=8867-4', []],
    ['code repeated AND with alternatives', 'code=8480-6,8867-4&code=8867-4', ['pulse']],
    ['category repeated AND', 'category=laboratory&category=laboratory,vital-signs', ['glucose', 'note']],
  ])('Observation tokens: %s', async (_story, query, expected) => {
    expect(await resultsFound(query)).toEqual(expected);
  });

  it('Observation _lastUpdated compares the record’s update time', async () => {
    expect(await resultsFound(`_lastUpdated=${encodeURIComponent(`gt${updatedBetween}`)}`)).toEqual([
      'glucose',
      'note',
    ]);
    expect(await resultsFound(`_lastUpdated=${encodeURIComponent(`le${updatedBetween}`)}`)).toEqual([
      'pulse',
      'systolic',
    ]);
  });

  it.each([
    ['Patient', 'birthdate=ap1990-02-30', 'birthdate'],
    ['Patient', 'gender:not=m', 'gender:not'],
    ['Patient', 'birthdate:missing=maybe', 'birthdate:missing'],
    ['Observation', 'value-quantity=high', 'value-quantity'],
    ['Observation', `value-quantity=${encodeURIComponent('5|u')}`, 'value-quantity'],
    ['Observation', '_lastUpdated=yesterday', '_lastUpdated'],
    ['Observation', 'category=survey&value-quantity=5', 'value-quantity'],
  ])('%s: refuses %s with a 400 naming the parameter', async (type, query, param) => {
    expectOutcome(await ctx.as().get(`/fhir/R4/${type}?${query}`), 400, param);
  });
});
