/* eslint-disable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- supertest gives untyped bodies */
import { Role } from '@hdp/platform';
import { NHS, newNhsNumber, patientBody, resultBody, useAuditedApp } from './support/patients-fixtures';

describe('Patients API', () => {
  const app = useAuditedApp({ AUDIT_CHAINS: '4' });

  const create = async (body = patientBody()) =>
    (await app.ctx.as().post('/api/v1/patients').send(body).expect(201)).body;
  const entriesFor = (filter: object) =>
    app.db.collection('audit_entries').find(filter).sort({ at: 1 }).toArray();

  /** Follows `next` cursors through a family search; `between` runs after every page but the last. */
  async function pageThrough(family: string, limit: number, between?: () => Promise<unknown>) {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await app.ctx
        .as()
        .get('/api/v1/patients')
        .query({ family, limit, ...(cursor ? { cursor } : {}) })
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      seen.push(...res.body.items.map((p: { id: string }) => p.id));
      cursor = res.body.next;
      if (cursor) await between?.();
    } while (cursor);
    return seen;
  }

  it('creates a patient with an opaque id, Location, ETag and a create entry in the ledger', async () => {
    const body = patientBody();
    const res = await app.ctx.as().post('/api/v1/patients').send(body).expect(201);
    expect(res.body.id).toMatch(/^[\da-f-]{36}$/);
    expect(res.body.id).not.toContain(body.identifier[0].value);
    expect(res.headers.location).toBe(`/api/v1/patients/${res.body.id}`);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({ name: body.name, birthDate: '1946-04-09', gender: 'male', version: 1 });
    const [entry] = await entriesFor({ resourceId: res.body.id });
    expect(entry).toMatchObject({
      action: 'create',
      resourceType: 'Patient',
      outcome: 201,
      patientId: res.body.id,
    });
    expect(entry.actor).toEqual({
      id: 'user-clinician-1',
      clientId: 'client-ward-app',
      roles: ['clinician'],
    });
    expect(JSON.stringify(entry)).not.toMatch(/Oakenshield|Thorin|thorin@|1946/);
    expect(JSON.stringify(entry)).not.toContain(body.identifier[0].value);
    // The write-ahead intent is cleared (in the background) once the entry is in the ledger.
    const cleared = () =>
      app.db
        .collection('patients')
        .find({ _id: res.body.id, auditOutbox: [] } as never)
        .toArray();
    const [stored] = await eventually(cleared);
    expect(stored?.nameNorm).toEqual({ family: 'oakenshield', given: ['thorin'] });
  });

  it('reads a patient with its ETag and audits the read before answering', async () => {
    const patient = await create();
    const res = await app.ctx.as().get(`/api/v1/patients/${patient.id}`).expect(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toEqual(patient);
    expect(await entriesFor({ resourceId: patient.id, action: 'read', outcome: 200 })).toHaveLength(1);
  });

  it('answers 404 for unknown, malformed and deleted ids, and audits each', async () => {
    await app.ctx.as().get('/api/v1/patients/3b241101-e2bb-4255-8caf-4136c566a962').expect(404);
    const malformed = await app.ctx.as().get('/api/v1/patients/not-an-id').expect(404);
    expect(malformed.body.detail).toBe('No patient with this id.');
    expect(
      await entriesFor({ resourceId: '3b241101-e2bb-4255-8caf-4136c566a962', outcome: 404 }),
    ).toHaveLength(1);
  });

  it('rejects a duplicate NHS number with 409 that does not echo it, and stores nothing', async () => {
    const nhs = newNhsNumber();
    await create(patientBody({ identifier: [{ system: NHS, value: nhs }] }));
    const res = await app.ctx
      .as()
      .post('/api/v1/patients')
      .send(patientBody({ identifier: [{ system: NHS, value: nhs }], name: { family: 'Other' } }))
      .expect(409);
    expect(JSON.stringify(res.body)).not.toContain(nhs);
    expect(await app.db.collection('patients').countDocuments({ 'identifier.value': nhs })).toBe(1);
    expect(await entriesFor({ action: 'create', outcome: 409 })).toHaveLength(1);
  });

  it('lets one of many simultaneous creates with one NHS number through; the others get 409, unbatched by it', async () => {
    const nhs = newNhsNumber();
    const bodies = Array.from({ length: 8 }, (_, i) =>
      patientBody(i % 2 ? { identifier: [{ system: NHS, value: nhs }] } : {}),
    );
    const statuses = await Promise.all(
      bodies.map(async (body) => (await app.ctx.as().post('/api/v1/patients').send(body)).status),
    );
    expect(statuses.filter((status, i) => i % 2 === 0 && status === 201)).toHaveLength(4);
    expect(statuses.filter((status, i) => i % 2 === 1).sort()).toEqual([201, 409, 409, 409]);
    expect(await app.db.collection('patients').countDocuments({ 'identifier.value': nhs })).toBe(1);
  });

  it('rejects an NHS number with a wrong check digit naming the field, not the value', async () => {
    const res = await app.ctx
      .as()
      .post('/api/v1/patients')
      .send(patientBody({ identifier: [{ system: NHS, value: '9434765918' }] }))
      .expect(400);
    expect(res.body.errors).toEqual([
      { path: 'identifier[0].value', message: expect.stringMatching(/NHS number/) },
    ]);
    expect(JSON.stringify(res.body)).not.toContain('9434765918');
  });

  it('holds the FHIR datatypes it models: identifier type/period/assigner, name use/suffix, local numbers', async () => {
    const body = patientBody({
      identifier: [
        {
          use: 'official',
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NH' }] },
          system: NHS,
          value: newNhsNumber(),
          period: { start: '2001-05-06' },
          assigner: { display: 'NHS England' },
        },
      ],
      name: { use: 'official', family: 'Oakenshield', given: ['Thorin'], prefix: ['Mr'], suffix: ['II'] },
      telecom: [
        { system: 'phone', value: '(01632) 960 000', use: 'work', rank: 1, period: { end: '2014' } },
        { use: 'home' },
      ],
      address: [{ use: 'home', type: 'both', text: '1 Lonely Mountain, Erebor', state: 'Rhovanion' }],
    });
    const created = await app.ctx.as().post('/api/v1/patients').send(body).expect(201);
    const read = await app.ctx.as().get(`/api/v1/patients/${created.body.id}`).expect(200);
    expect(read.body).toMatchObject({ identifier: body.identifier, name: body.name, telecom: body.telecom });
    expect(read.body.address).toEqual(body.address);
  });

  it.each([
    ['an operator as a value', { name: { family: { $gt: '' } } }],
    ['an operator key at the top', { $where: 'sleep(1000)' }],
    ['a dotted key', { 'name.family': 'x' }],
    ['an unknown field', { ssn: '123' }],
    ['a future birth date', { birthDate: '2999-01-01' }],
    ['an impossible date', { birthDate: '2001-02-30' }],
    ['a bad gender', { gender: 'robot' }],
    ['a telecom value without a system', { telecom: [{ value: '+44 20 7946 0000' }] }],
    ['a telecom system outside its value set', { telecom: [{ system: 'pigeon', value: 'x' }] }],
    [
      'a period that is not a FHIR dateTime',
      { address: [{ city: 'Erebor', period: { start: '2001-02-30T10' } }] },
    ],
    [
      'an identifier use outside its value set',
      { identifier: [{ system: NHS, value: newNhsNumber(), use: 'x' }] },
    ],
    ['a rank below 1', { telecom: [{ system: 'phone', value: '01632 960000', rank: 0 }] }],
    ['a huge string', { name: { family: 'x'.repeat(10000) } }],
    [
      'a huge array',
      { identifier: Array.from({ length: 500 }, () => ({ system: NHS, value: newNhsNumber() })) },
    ],
    ['a wrong type', { name: 'Thorin' }],
  ])('rejects %s with 400 and stores nothing', async (_case, overrides) => {
    const before = await app.db.collection('patients').countDocuments();
    const res = await app.ctx.as().post('/api/v1/patients').send(patientBody(overrides)).expect(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(await app.db.collection('patients').countDocuments()).toBe(before);
  });

  it('ledgers a validation failure that happens before the handler', async () => {
    const traceId = 'a'.repeat(31) + '1';
    await app.ctx
      .as()
      .post('/api/v1/patients')
      .set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`)
      .send({ $gt: 1 })
      .expect(400);
    const entries = await eventually(() => entriesFor({ correlationId: traceId }));
    expect(entries).toMatchObject([{ action: 'create', resourceType: 'Patient', outcome: 400 }]);
  });

  it('replaces with If-Match: 428 without it, 412 with a stale one, 200 and a new ETag with the right one', async () => {
    const patient = await create();
    const change = { ...patientBody({ identifier: patient.identifier }), gender: 'female' };
    await app.ctx.as().put(`/api/v1/patients/${patient.id}`).send(change).expect(428);
    await app.ctx.as().put(`/api/v1/patients/${patient.id}`).set('If-Match', '"7"').send(change).expect(412);
    const res = await app.ctx
      .as()
      .put(`/api/v1/patients/${patient.id}`)
      .set('If-Match', '"1"')
      .send(change)
      .expect(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toMatchObject({ gender: 'female', version: 2 });
    await app.ctx.as().put(`/api/v1/patients/${patient.id}`).set('If-Match', '"1"').send(change).expect(412);
    const outcomes = (await entriesFor({ resourceId: patient.id, action: 'update' })).map(
      (entry) => entry.outcome,
    );
    expect(outcomes).toEqual([428, 412, 200, 412]);
  });

  it('applies a JSON merge patch, and refuses other content types and patches that break the record', async () => {
    const patient = await create();
    const url = `/api/v1/patients/${patient.id}`;
    await app.ctx.as().patch(url).set('If-Match', '"1"').send({ gender: 'other' }).expect(415);
    const res = await app.ctx
      .as()
      .patch(url)
      .set('If-Match', '"1"')
      .set('content-type', 'application/merge-patch+json')
      .send(JSON.stringify({ name: { given: ['Thrain'] }, telecom: null }))
      .expect(200);
    expect(res.body).toMatchObject({
      name: { family: 'Oakenshield', given: ['Thrain'] },
      telecom: [],
      version: 2,
    });
    await app.ctx
      .as()
      .patch(url)
      .set('If-Match', '"2"')
      .set('content-type', 'application/merge-patch+json')
      .send(JSON.stringify({ name: { family: { $ne: 1 } } }))
      .expect(400);
    await app.ctx
      .as()
      .patch(url)
      .set('If-Match', '"2"')
      .set('content-type', 'application/merge-patch+json')
      .send(JSON.stringify({ $set: { gender: 'x' } }))
      .expect(400);
    const stored = await app.ctx.as().get(url).expect(200);
    expect(stored.body).toMatchObject({ version: 2, gender: 'male' });
  });

  it('searches by identifier, family and given (case and accents ignored), birthDate and gender', async () => {
    const nhs = newNhsNumber();
    const a = await create(
      patientBody({
        identifier: [{ system: NHS, value: nhs }],
        name: { family: 'Ñúñez-Search', given: ['Élodie'] },
        gender: 'female',
      }),
    );
    await create(patientBody({ name: { family: 'Nunez-Search', given: ['Bob'] }, birthDate: '1980-01-01' }));
    const byId = await app.ctx
      .as()
      .get('/api/v1/patients')
      .query({ identifier: `${NHS}|${nhs}` })
      .expect(200);
    expect(byId.body.items.map((p: { id: string }) => p.id)).toEqual([a.id]);
    const traceId = 'd'.repeat(31) + '4';
    const byFamily = await app.ctx
      .as()
      .get('/api/v1/patients')
      .set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`)
      .query({ family: 'NUNEZ-s' })
      .expect(200);
    expect(byFamily.body.items).toHaveLength(2);
    const [entry] = await entriesFor({ correlationId: traceId });
    expect(entry).toMatchObject({ action: 'search', resourceType: 'Patient', outcome: 200, count: 2 });
    const byGiven = await app.ctx.as().get('/api/v1/patients').query({ given: 'elo' }).expect(200);
    expect(byGiven.body.items.map((p: { id: string }) => p.id)).toEqual([a.id]);
    const byBoth = await app.ctx
      .as()
      .get('/api/v1/patients')
      .query({ family: 'nunez-s', gender: 'male', birthDate: '1980-01-01' })
      .expect(200);
    expect(byBoth.body.items).toHaveLength(1);
  });

  it('pages search results with an opaque cursor and rejects a forged one', async () => {
    for (let i = 0; i < 5; i++) await create(patientBody({ name: { family: 'Pagewright' } }));
    const seen = await pageThrough('pagewright', 2);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    await app.ctx
      .as()
      .get('/api/v1/patients')
      .query({ cursor: Buffer.from('{"id":{"$gt":""}}').toString('base64url') })
      .expect(400);
    await app.ctx.as().get('/api/v1/patients').query({ 'family[$gt]': '' }).expect(400);
    await app.ctx.as().get('/api/v1/patients').query({ limit: 100000 }).expect(400);
  });

  it('pages many patients sharing a family name in id order, each once, while more are created between pages', async () => {
    const family = { name: { family: 'Samename', given: ['Page'] } };
    const originals: string[] = [];
    for (let i = 0; i < 40; i++) originals.push((await create(patientBody(family))).id);
    const seen = await pageThrough('samename', 7, async () => {
      await create(patientBody(family));
      await create(patientBody(family));
    });
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining(originals));
    const cursorOfOtherShape = Buffer.from(JSON.stringify({ id: 'x', level: 1 })).toString('base64url');
    await app.ctx.as().get('/api/v1/patients').query({ cursor: cursorOfOtherShape }).expect(400);
  });

  it('confines a principal with a patient context to that patient; others look like 404', async () => {
    const mine = await create();
    const other = await create();
    const patient = { id: 'patient-user-1', roles: [Role.Patient], patientId: mine.id };
    await app.ctx.as(patient).get(`/api/v1/patients/${mine.id}`).expect(200);
    const denied = await app.ctx.as(patient).get(`/api/v1/patients/${other.id}`).expect(404);
    expect(denied.body.detail).toBe('No patient with this id.');
    const search = await app.ctx
      .as(patient)
      .get('/api/v1/patients')
      .query({ family: 'oakenshield' })
      .expect(200);
    expect(search.body.items.map((p: { id: string }) => p.id)).toEqual([mine.id]);
    await app.ctx.as(patient).post('/api/v1/patients').send(patientBody()).expect(403);
    await app.ctx
      .as({ roles: [Role.Auditor] })
      .get(`/api/v1/patients/${mine.id}`)
      .expect(403);
    expect(
      await entriesFor({ 'actor.id': 'patient-user-1', resourceId: other.id, outcome: 404 }),
    ).toHaveLength(1);
  });

  it('deletes with If-Match: the patient and their results are gone, the NHS number is free again', async () => {
    const patient = await create();
    await app.ctx
      .as()
      .post(`/api/v1/patients/${patient.id}/test-results`)
      .send({
        code: { system: 'http://loinc.org', code: '2339-0' },
        valueString: 'ok',
        status: 'final',
        effectiveDateTime: '2026-01-01T00:00:00Z',
      })
      .expect(201);
    await app.ctx.as().delete(`/api/v1/patients/${patient.id}`).expect(428);
    await app.ctx.as().delete(`/api/v1/patients/${patient.id}`).set('If-Match', '"1"').expect(204);
    await app.ctx.as().get(`/api/v1/patients/${patient.id}`).expect(404);
    await app.ctx.as().get(`/api/v1/patients/${patient.id}/test-results`).expect(404);
    expect(
      await app.db.collection('test_results').countDocuments({ patientId: patient.id, deleted: false }),
    ).toBe(0);
    await create(patientBody({ identifier: patient.identifier }));
    expect(await entriesFor({ resourceId: patient.id, action: 'delete', outcome: 204 })).toHaveLength(1);
  });

  it('enforces SMART scopes per interaction on the patient and result routes, and ledgers the denial', async () => {
    const patient = await create();
    const observationsOnly = app.ctx.as({ scopes: ['user/Observation.rs'] });
    await observationsOnly.get(`/api/v1/patients/${patient.id}`).expect(403);
    await observationsOnly.get(`/api/v1/patients/${patient.id}/test-results`).expect(200);
    const readOnly = app.ctx.as({ roles: [Role.PartnerSystem], scopes: ['system/Patient.rs'] });
    await readOnly.post('/api/v1/patients').send(patientBody()).expect(403);
    await readOnly.delete(`/api/v1/patients/${patient.id}`).set('If-Match', '"1"').expect(403);
    await readOnly.post(`/api/v1/patients/${patient.id}/test-results`).send(resultBody()).expect(403);
    // Denials by the guard are entered when the response finishes, just after the caller has it.
    const denied = (action: string) =>
      eventually(() => entriesFor({ resourceId: patient.id, action, outcome: 403 }));
    expect(await denied('read')).toHaveLength(1);
    expect(await denied('delete')).toHaveLength(1);
  });

  it('masks the NHS number for a partner system on read and search; a clinician sees it', async () => {
    const body = patientBody();
    const nhs = body.identifier[0].value;
    const patient = await create(body);
    const partner = app.ctx.as({ roles: [Role.PartnerSystem], scopes: ['system/Patient.rs'] });
    const read = await partner.get(`/api/v1/patients/${patient.id}`).expect(200);
    expect(read.body.identifier[0]).toEqual({ system: NHS, value: `*******${nhs.slice(-3)}` });
    const found = await partner
      .get(`/api/v1/patients?identifier=${encodeURIComponent(`${NHS}|${nhs}`)}`)
      .expect(200);
    expect(found.body.items).toHaveLength(1);
    expect(JSON.stringify(found.body)).not.toContain(nhs);
    expect(JSON.stringify(read.body)).not.toContain(nhs);
    const clinician = await app.ctx.as().get(`/api/v1/patients/${patient.id}`).expect(200);
    expect(clinician.body.identifier[0].value).toBe(nhs);
  });

  it('documents the endpoints in OpenAPI', async () => {
    const res = await app.ctx.as().get('/openapi.json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/patients',
        '/api/v1/patients/{id}',
        '/api/v1/patients/{id}/test-results/{resultId}',
        '/api/v1/audit-events',
        '/api/v1/audit/verify',
      ]),
    );
  });
});

async function eventually<T extends unknown[]>(probe: () => Promise<T>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (last.length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await probe();
  }
  return last;
}
