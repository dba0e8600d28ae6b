import { Db } from 'mongodb';
import { Role } from '@hdp/platform';
import { createResource, expectOutcome } from './support/fhir-fixtures';
import { NHS, newNhsNumber, startAuditedApp } from './support/patients-fixtures';
import { TestApp } from './support/test-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- FHIR JSON as the tests send and read it
type Resource = Record<string, any>;

describe('FHIR _include and _revinclude', () => {
  let ctx: TestApp;
  let db: Db;
  let close: () => Promise<void>;
  const family = `Inc${Date.now()}`;
  let patients: string[];
  let observations: Record<string, string[]>;

  const post = (type: string, body: Resource) => createResource(ctx, type, body);
  const newPatient = () =>
    post('Patient', {
      identifier: [{ system: NHS, value: newNhsNumber() }],
      name: [{ family, given: ['Samwise'] }],
      gender: 'male',
      birthDate: '1980-04-06',
    });
  const newObservation = (patientId: string, code: string) =>
    post('Observation', {
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code }] },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: '2026-03-01T10:00:00Z',
      valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    });
  const byMode = (bundle: Resource, mode: string) =>
    (bundle.entry as Resource[])
      .filter((entry) => entry.search.mode === mode)
      .map((entry) => `${entry.resource.resourceType}/${entry.resource.id}`)
      .sort();

  beforeAll(async () => {
    ({ ctx, db, close } = await startAuditedApp());
    patients = [await newPatient(), await newPatient()];
    observations = {};
    for (const id of patients)
      observations[id] = [await newObservation(id, '8867-4'), await newObservation(id, '8310-5')];
    // A third patient whose Observation matches no search below.
    await newObservation(await newPatient(), '2339-0');
  });

  afterAll(() => close());

  it('_include=Observation:patient adds each matched Observation’s patient once, after the matches', async () => {
    const { body } = await ctx
      .as()
      .get('/fhir/R4/Observation?code=8867-4&_include=Observation:patient&_count=100')
      .expect(200);
    const ours = byMode(body, 'match').filter((ref) =>
      patients.some((id) => ref === `Observation/${observations[id][0]}`),
    );
    expect(ours).toHaveLength(2);
    const included = byMode(body, 'include');
    for (const id of patients) expect(included.filter((ref) => ref === `Patient/${id}`)).toHaveLength(1);
    const entry = (body.entry as Resource[]).find((e) => e.resource.id === patients[0]);
    expect(entry).toMatchObject({ fullUrl: expect.stringMatching(new RegExp(`/Patient/${patients[0]}$`)) });
    expect(entry!.resource.name[0].family).toBe(family);
  });

  it('reads of included patients are in the ledger as reads', async () => {
    const before = await db
      .collection('audit_entries')
      .countDocuments({ action: 'read', patientId: patients[1] });
    await ctx
      .as()
      .get(`/fhir/R4/Observation?subject=Patient/${patients[1]}&_include=Observation:subject`)
      .expect(200);
    const after = await db
      .collection('audit_entries')
      .countDocuments({ action: 'read', patientId: patients[1] });
    expect(after).toBe(before + 1);
  });

  it('a patient-context token gets only their own patient included', async () => {
    const own = { patientId: patients[0], roles: [Role.Patient], scopes: ['patient/*.rs'] };
    const { body } = await ctx.as(own).get('/fhir/R4/Observation?_include=Observation:patient').expect(200);
    expect(byMode(body, 'include')).toEqual([`Patient/${patients[0]}`]);
    expect(byMode(body, 'match').sort()).toEqual(
      observations[patients[0]].map((id) => `Observation/${id}`).sort(),
    );
  });

  it('_revinclude=Observation:patient adds each matched patient’s Observations, and no one else’s', async () => {
    const { body } = await ctx
      .as()
      .get(`/fhir/R4/Patient?family=${family}&_revinclude=Observation:patient`)
      .expect(200);
    expect(byMode(body, 'match')).toEqual(expect.arrayContaining(patients.map((id) => `Patient/${id}`)));
    const included = byMode(body, 'include');
    expect(included).toHaveLength(5);
    for (const id of patients)
      expect(included).toEqual(expect.arrayContaining(observations[id].map((o) => `Observation/${o}`)));
  });

  it('keeps _include in the paging links', async () => {
    const { body } = await ctx
      .as()
      .get(`/fhir/R4/Observation?subject=Patient/${patients[0]}&_include=Observation:patient&_count=1`)
      .expect(200);
    expect(byMode(body, 'include')).toEqual([`Patient/${patients[0]}`]);
    const next = (body.link as Resource[]).find((link) => link.relation === 'next');
    expect(next?.url).toContain('_include=Observation%3Apatient');
  });

  it.each([
    ['/fhir/R4/Observation?_include=Observation:device', '_include'],
    ['/fhir/R4/Observation?_include=*', '_include'],
    ['/fhir/R4/Observation?_revinclude=Observation:patient', '_revinclude'],
    ['/fhir/R4/Patient?_revinclude=Encounter:patient', '_revinclude'],
    ['/fhir/R4/Patient?_include=Patient:organization', '_include'],
    ['/fhir/R4/Observation?_include:iterate=Observation:patient', '_include:iterate'],
  ])('refuses %s with a 400 naming the parameter', async (path, param) => {
    expectOutcome(await ctx.as().get(path), 400, param);
  });

  it('declares what it includes in the CapabilityStatement', async () => {
    const { body } = await ctx.as().get('/fhir/R4/metadata').expect(200);
    const resources = body.rest[0].resource as Resource[];
    const of = (type: string) => resources.find((resource) => resource.type === type)!;
    expect(of('Observation').searchInclude).toEqual(['Observation:patient', 'Observation:subject']);
    expect(of('Patient').searchRevInclude).toEqual(['Observation:patient', 'Observation:subject']);
  });
});
