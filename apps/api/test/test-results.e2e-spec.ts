/* eslint-disable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- supertest gives untyped bodies */
import { Role } from '@hdp/platform';
import { patientBody, resultBody, useAuditedApp } from './support/patients-fixtures';

describe('Test results API', () => {
  const app = useAuditedApp({ AUDIT_CHAINS: '4' });

  const newPatient = async (): Promise<{ id: string }> =>
    (await app.ctx.as().post('/api/v1/patients').send(patientBody()).expect(201)).body;
  const record = async (patientId: string, overrides: Record<string, unknown> = {}) =>
    await app.ctx
      .as()
      .post(`/api/v1/patients/${patientId}/test-results`)
      .send(resultBody(overrides))
      .expect(201);
  const entriesFor = (filter: object) =>
    app.db.collection('audit_entries').find(filter).sort({ at: 1 }).toArray();

  it('records a result with Location and ETag, reads it back, and audits both without clinical values', async () => {
    const patient = await newPatient();
    const created = await record(patient.id);
    const url = `/api/v1/patients/${patient.id}/test-results/${created.body.id}`;
    expect(created.headers.location).toBe(url);
    expect(created.headers.etag).toBe('"1"');
    const read = await app.ctx.as().get(url).expect(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body).toMatchObject({
      patientId: patient.id,
      code: { system: 'http://loinc.org', code: '2339-0' },
      valueQuantity: { value: 5.4, unit: 'mmol/L', system: 'http://unitsofmeasure.org' },
      status: 'final',
      effectiveDateTime: '2026-01-10T08:30:00.000Z',
    });
    const entries = await entriesFor({ resourceType: 'TestResult', resourceId: created.body.id });
    expect(entries.map((entry) => [entry.action, entry.outcome, entry.patientId])).toEqual([
      ['create', 201, patient.id],
      ['read', 200, patient.id],
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/2339|mmol|5\.4/);
  });

  it('takes string and coded values, but exactly one value', async () => {
    const patient = await newPatient();
    await record(patient.id, { valueQuantity: undefined, valueString: 'No growth after 48 hours' });
    await record(patient.id, {
      valueQuantity: undefined,
      valueCoding: { system: 'http://snomed.info/sct', code: '260385009' },
    });
    const none = await app.ctx
      .as()
      .post(`/api/v1/patients/${patient.id}/test-results`)
      .send(resultBody({ valueQuantity: undefined }))
      .expect(400);
    expect(none.body.errors[0].path).toBe('value');
    await app.ctx
      .as()
      .post(`/api/v1/patients/${patient.id}/test-results`)
      .send(resultBody({ valueString: 'also' }))
      .expect(400);
  });

  it.each([
    ['a non-UCUM unit system', { valueQuantity: { value: 1, unit: 'mg', system: 'http://example.org' } }],
    ['an unknown status', { status: 'done' }],
    ['a non-date effective time', { effectiveDateTime: 'yesterday' }],
    ['an operator in the code', { code: { system: 'http://loinc.org', code: { $ne: '' } } }],
    ['a huge note', { note: 'x'.repeat(5000) }],
    ['an unknown field', { secret: true }],
    ['a string as a quantity', { valueQuantity: '5.4 mmol/L' }],
  ])('rejects %s with 400 and stores nothing', async (_case, overrides) => {
    const patient = await newPatient();
    await app.ctx
      .as()
      .post(`/api/v1/patients/${patient.id}/test-results`)
      .send(resultBody(overrides))
      .expect(400);
    expect(await app.db.collection('test_results').countDocuments({ patientId: patient.id })).toBe(0);
  });

  it('lists newest first, filtered by code, status and effective date range, page by page', async () => {
    const patient = await newPatient();
    const days = ['2026-01-01', '2026-01-05', '2026-01-03', '2026-01-09', '2026-01-07'];
    for (const day of days) await record(patient.id, { effectiveDateTime: `${day}T00:00:00.000Z` });
    await record(patient.id, {
      effectiveDateTime: '2026-01-04T00:00:00.000Z',
      status: 'preliminary',
      code: { system: 'http://loinc.org', code: '718-7' },
    });
    const base = `/api/v1/patients/${patient.id}/test-results`;
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await app.ctx
        .as()
        .get(base)
        .query({ code: 'http://loinc.org|2339-0', limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(
        ...res.body.items.map((r: { effectiveDateTime: string }) => r.effectiveDateTime.slice(0, 10)),
      );
      cursor = res.body.next;
    } while (cursor);
    expect(seen).toEqual(['2026-01-09', '2026-01-07', '2026-01-05', '2026-01-03', '2026-01-01']);
    const ranged = await app.ctx
      .as()
      .get(base)
      .query({ from: '2026-01-03T00:00:00Z', to: '2026-01-07T00:00:00Z' })
      .expect(200);
    expect(
      ranged.body.items.map((r: { effectiveDateTime: string }) => r.effectiveDateTime.slice(0, 10)),
    ).toEqual(['2026-01-05', '2026-01-04', '2026-01-03']);
    const traceId = 'c'.repeat(31) + '3';
    const prelim = await app.ctx
      .as()
      .get(base)
      .set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`)
      .query({ status: 'preliminary' })
      .expect(200);
    expect(prelim.body.items).toHaveLength(1);
    const [search] = await entriesFor({ correlationId: traceId });
    expect(search).toMatchObject({
      resourceType: 'TestResult',
      action: 'search',
      patientId: patient.id,
      count: 1,
    });
    await app.ctx
      .as()
      .get(base)
      .query({ status: { $ne: 'x' } })
      .expect(400);
    await app.ctx.as().get(base).query({ from: 'not-a-date' }).expect(400);
    await app.ctx.as().get(base).query({ cursor: 'garbage' }).expect(400);
  });

  it('replaces with If-Match (428, 412, 200) and deletes with If-Match (404 afterwards)', async () => {
    const patient = await newPatient();
    const created = await record(patient.id);
    const url = `/api/v1/patients/${patient.id}/test-results/${created.body.id}`;
    const amended = resultBody({
      status: 'amended',
      valueQuantity: { value: 6.1, unit: 'mmol/L', system: 'http://unitsofmeasure.org' },
    });
    await app.ctx.as().put(url).send(amended).expect(428);
    await app.ctx.as().put(url).set('If-Match', '"2"').send(amended).expect(412);
    const res = await app.ctx.as().put(url).set('If-Match', '"1"').send(amended).expect(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toMatchObject({ status: 'amended', valueQuantity: { value: 6.1 }, version: 2 });
    await app.ctx.as().delete(url).expect(428);
    await app.ctx.as().delete(url).set('If-Match', '"1"').expect(412);
    await app.ctx.as().delete(url).set('If-Match', '"2"').expect(204);
    await app.ctx.as().get(url).expect(404);
    await app.ctx.as().put(url).set('If-Match', '"3"').send(amended).expect(404);
  });

  it('answers 404 for an unknown patient or result, and hides other patients from a compartment', async () => {
    const patient = await newPatient();
    const other = await newPatient();
    const created = await record(other.id);
    await app.ctx.as().get('/api/v1/patients/3b241101-e2bb-4255-8caf-4136c566a962/test-results').expect(404);
    await app.ctx.as().post('/api/v1/patients/nope/test-results').send(resultBody()).expect(404);
    await app.ctx.as().get(`/api/v1/patients/${patient.id}/test-results/${created.body.id}`).expect(404);
    const confined = { id: 'patient-user-2', roles: [Role.Patient], patientId: patient.id };
    await app.ctx.as(confined).get(`/api/v1/patients/${patient.id}/test-results`).expect(200);
    await app.ctx
      .as(confined)
      .get(`/api/v1/patients/${other.id}/test-results/${created.body.id}`)
      .expect(404);
    expect(
      await entriesFor({ 'actor.id': 'patient-user-2', outcome: 404, resourceType: 'TestResult' }),
    ).toHaveLength(1);
  });
});
