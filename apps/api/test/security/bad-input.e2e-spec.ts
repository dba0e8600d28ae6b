import request from 'supertest';
import { expectOutcome, FHIR_JSON } from '../support/fhir-fixtures';
import { NHS, newNhsNumber, patientBody, useAuditedApp } from '../support/patients-fixtures';

/** `{"a":{"a":…}}` nested `levels` deep: about 6 bytes a level, far under the body limit. */
const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describe('Bad input', () => {
  const app = useAuditedApp();
  let patientId: string;

  beforeAll(async () => {
    const res = await app.ctx.as().post('/api/v1/patients').send(patientBody()).expect(201);
    patientId = res.body.id;
  });

  const storedPatient = () => app.db.collection('patients').findOne({ _id: patientId as never });

  it('refuses a FHIR-style name array on a REST create with 400, and the corrected retry is created', async () => {
    const body = patientBody({ identifier: [{ system: NHS, value: newNhsNumber() }] });
    const res = await app.ctx
      .as()
      .post('/api/v1/patients')
      .send({ ...body, name: [{ family: 'Oakenshield', given: ['Thorin'] }] })
      .expect(400);
    expect(res.body).toMatchObject({ status: 400 });
    expect(JSON.stringify(res.body)).not.toContain('Oakenshield');
    await app.ctx.as().post('/api/v1/patients').send(body).expect(201);
  });

  it.each([
    ['a REST create', 'post', '/api/v1/patients', 'application/json'],
    ['a REST merge patch', 'patch', '/api/v1/patients/:patient', 'application/merge-patch+json'],
    ['a FHIR create', 'post', '/fhir/R4/Patient', FHIR_JSON],
    ['a FHIR JSON Patch', 'patch', '/fhir/R4/Patient/:patient', 'application/json-patch+json'],
  ] as const)(
    'answers 10,000-level nested JSON on %s with 400 and changes nothing',
    async (_, method, path, type) => {
      const before = await storedPatient();
      const res = await app.ctx
        .as()
        [method](path.replace(':patient', patientId))
        .set('content-type', type)
        .send(nested(10_000));
      if (path.startsWith('/fhir')) expectOutcome(res, 400);
      else expect(res).toMatchObject({ status: 400, body: { status: 400 } });
      expect(await storedPatient()).toEqual(before);
    },
  );

  it('parses JSON nested as deep as FHIR resources are (the unknown route answers, not the parser)', async () => {
    await request(app.ctx.http)
      .post('/health/live')
      .set('content-type', 'application/json')
      .send(nested(50))
      .expect(404);
  });

  it('answers Content-Encoding: gzip over a body that is not gzip with 400', async () => {
    const res = await app.ctx
      .as()
      .post('/api/v1/patients')
      .set('content-type', 'application/json')
      .set('content-encoding', 'gzip')
      .send(JSON.stringify(patientBody()))
      .expect(400);
    expect(res.body).toMatchObject({ status: 400, detail: 'The request body could not be decoded.' });
  });

  it.each([
    ['an object', { method: 'GET', url: { path: 'Patient' } }],
    ['a number', { method: 'GET', url: 7 }],
    ['a method that is an array', { method: ['GET'], url: 'Patient' }],
  ])('answers a Bundle entry whose request.url is %s with 400 naming the entry', async (_, entryRequest) => {
    const res = await app.ctx
      .as()
      .post('/fhir/R4')
      .set('content-type', FHIR_JSON)
      .send(
        JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry: [{ request: entryRequest }, null] }),
      );
    expectOutcome(res, 400, 'Bundle.entry[0].request');
  });
});
