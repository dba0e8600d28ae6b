/* eslint-disable @typescript-eslint/no-unsafe-call -- supertest gives untyped bodies */
import { Db } from 'mongodb';
import { Role } from '@hdp/platform';
import { TestApp } from './support/test-app';
import { AuditedTestApp, patientBody, resultBody, startAuditedApp } from './support/patients-fixtures';

const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const DMD = 'https://dmd.nhs.uk';

function statement(patientId: string, overrides: Record<string, unknown> = {}) {
  return {
    resourceType: 'MedicationStatement',
    status: 'completed',
    medicationCodeableConcept: { coding: [{ system: DMD, code: '39720311000001101' }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: '2026-03-09T08:00:00Z',
    dosage: [
      {
        doseAndRate: [
          { doseQuantity: { value: 500, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } },
        ],
      },
    ],
    ...overrides,
  };
}

describe('Patient-reported data on the FHIR face', () => {
  let ctx: TestApp;
  let db: Db;
  let app: AuditedTestApp;
  let patientId: string;
  let weightId: string;
  let clinicalId: string;

  const patient = (id: string) =>
    ctx.as({
      id: `patient-user-${id.slice(0, 8)}`,
      roles: [Role.Patient],
      patientId: id,
      scopes: ['patient/Observation.rs', 'patient/MedicationStatement.crs'],
    });
  const ids = (bundle: { entry?: { resource: { id: string } }[] }) =>
    (bundle.entry ?? []).map((entry) => entry.resource.id);

  beforeAll(async () => {
    app = await startAuditedApp();
    ({ ctx, db } = app);
    patientId = (await ctx.as().post('/api/v1/patients').send(patientBody()).expect(201)).body.id;
    const measurement = {
      code: '29463-7',
      value: 72.5,
      unit: 'kg',
      effectiveDateTime: '2026-03-09T07:30:00Z',
    };
    weightId = (
      await ctx
        .as({ roles: [Role.Patient], patientId, scopes: ['patient/Observation.c'] })
        .post(`/api/v1/patients/${patientId}/patient-reported/observations`)
        .send(measurement)
        .expect(201)
    ).body.id;
    clinicalId = (
      await ctx.as().post(`/api/v1/patients/${patientId}/test-results`).send(resultBody()).expect(201)
    ).body.id;
  });

  afterAll(() => app.close());

  it('reads a patient-reported Observation by id: category survey, tagged, performed by the patient', async () => {
    const res = await ctx.as().get(`/fhir/R4/Observation/${weightId}`).expect(200);
    expect(res.body).toMatchObject({
      resourceType: 'Observation',
      id: weightId,
      meta: { versionId: '1', tag: [{ code: 'patient-reported' }] },
      status: 'final',
      category: [{ coding: [{ system: CATEGORY, code: 'survey' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] },
      subject: { reference: `Patient/${patientId}` },
      performer: [{ reference: `Patient/${patientId}` }],
      valueQuantity: { value: 72.5, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
    });
    const entries = await db
      .collection('audit_entries')
      .find({ resourceId: weightId, action: 'read' })
      .toArray();
    expect(entries).toEqual([
      expect.objectContaining({ resourceType: 'PatientReportedObservation', patientId }),
    ]);
  });

  it('keeps patient-reported values out of clinical searches unless category survey is asked for', async () => {
    const clinical = await ctx.as().get('/fhir/R4/Observation').query({ patient: patientId }).expect(200);
    expect(ids(clinical.body)).toEqual([clinicalId]);
    const survey = await ctx
      .as()
      .get('/fhir/R4/Observation')
      .query({ patient: patientId, category: 'survey' })
      .expect(200);
    expect(ids(survey.body)).toEqual([weightId]);
    const byCode = await ctx
      .as()
      .get('/fhir/R4/Observation')
      .query({
        patient: patientId,
        category: `${CATEGORY}|survey`,
        code: 'http://loinc.org|29463-7',
        date: 'ge2026-03-09',
      })
      .expect(200);
    expect(ids(byCode.body)).toEqual([weightId]);
    const before = await ctx
      .as()
      .get('/fhir/R4/Observation')
      .query({ patient: patientId, category: 'survey', date: 'lt2026-03-09' })
      .expect(200);
    expect(ids(before.body)).toEqual([]);
  });

  it('pages clinical and reported survey Observations together, newest first, under one cursor', async () => {
    const surveyResult = resultBody({ effectiveDateTime: '2026-03-10T08:00:00Z' });
    const clinicalSurvey = (
      await ctx
        .as()
        .post('/fhir/R4/Observation')
        .send({
          resourceType: 'Observation',
          status: 'final',
          category: [{ coding: [{ system: CATEGORY, code: 'survey' }] }],
          code: { coding: [{ system: 'http://loinc.org', code: '44249-1' }] },
          subject: { reference: `Patient/${patientId}` },
          effectiveDateTime: surveyResult.effectiveDateTime,
          valueInteger: 4,
        })
        .expect(201)
    ).body.id;
    const first = await ctx
      .as()
      .get('/fhir/R4/Observation')
      .query({ patient: patientId, category: 'survey', _count: 1 })
      .expect(200);
    expect(ids(first.body)).toEqual([clinicalSurvey]);
    const next = new URL(first.body.link.find((link: { relation: string }) => link.relation === 'next').url);
    const second = await ctx.as().get(`${next.pathname}${next.search}`).expect(200);
    expect(ids(second.body)).toEqual([weightId]);
  });

  it('creates a MedicationStatement for the patient themselves, reads and searches it', async () => {
    const created = await patient(patientId)
      .post('/fhir/R4/MedicationStatement')
      .send(statement(patientId))
      .expect(201);
    expect(created.body).toMatchObject({
      resourceType: 'MedicationStatement',
      meta: { versionId: '1', tag: [{ code: 'patient-reported' }] },
      status: 'completed',
      subject: { reference: `Patient/${patientId}` },
      informationSource: { reference: `Patient/${patientId}` },
      effectiveDateTime: '2026-03-09T08:00:00.000Z',
      dosage: [{ doseAndRate: [{ doseQuantity: { value: 500, code: 'mg' } }] }],
    });
    const id = created.body.id;
    await ctx.as().get(`/fhir/R4/MedicationStatement/${id}`).expect(200);
    const rest = await ctx
      .as()
      .get(`/api/v1/patients/${patientId}/patient-reported/medication-doses/${id}`)
      .expect(200);
    expect(rest.body).toMatchObject({ dose: { value: 500, unit: 'mg' }, medication: { system: DMD } });
    const own = await patient(patientId)
      .get('/fhir/R4/MedicationStatement')
      .query({ patient: patientId })
      .expect(200);
    expect(ids(own.body)).toEqual([id]);
    const all = await patient(patientId).get('/fhir/R4/MedicationStatement').expect(200);
    expect(ids(all.body)).toEqual([id]);
  });

  it('refuses a MedicationStatement for someone else, by a clinician, or not as this server holds it', async () => {
    const other = (await ctx.as().post('/api/v1/patients').send(patientBody()).expect(201)).body.id;
    await patient(patientId).post('/fhir/R4/MedicationStatement').send(statement(other)).expect(404);
    await ctx.as().post('/fhir/R4/MedicationStatement').send(statement(patientId)).expect(403);
    await patient(patientId)
      .post('/fhir/R4/MedicationStatement')
      .send(statement(patientId, { status: 'intended' }))
      .expect(422);
    await patient(patientId)
      .post('/fhir/R4/MedicationStatement')
      .send(statement(patientId, { reasonCode: [{ text: 'x' }] }))
      .expect(422);
    await patient(patientId)
      .post('/fhir/R4/MedicationStatement')
      .send(
        statement(patientId, { dosage: [{ doseAndRate: [{ doseQuantity: { value: -1, code: 'mg' } }] }] }),
      )
      .expect(400);
    const theirs = await patient(other)
      .post('/fhir/R4/MedicationStatement')
      .send(statement(other))
      .expect(201);
    await patient(patientId).get(`/fhir/R4/MedicationStatement/${theirs.body.id}`).expect(404);
    const search = await patient(patientId)
      .get('/fhir/R4/MedicationStatement')
      .query({ patient: other })
      .expect(200);
    expect(ids(search.body)).toEqual([]);
  });
});
