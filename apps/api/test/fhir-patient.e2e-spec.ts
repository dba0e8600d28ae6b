/* eslint-disable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- supertest gives untyped bodies */
import request from 'supertest';
import { NO_ROUTE, routeOf } from '@hdp/fhir';
import { Role } from '@hdp/platform';
import { content, FHIR_JSON, fixture } from './support/fhir-fixtures';
import { fhirResource } from './support/fhir-writes';
import { NHS, newNhsNumber, patientBody, useAuditedApp } from './support/patients-fixtures';

interface Issue {
  expression?: string[];
}
interface Link {
  relation: string;
  url: string;
}

function fhirPatient(overrides: Record<string, unknown> = {}) {
  return {
    resourceType: 'Patient',
    identifier: [{ system: NHS, value: newNhsNumber() }],
    name: [{ family: 'Oakenshield', given: ['Thorin'], prefix: ['Mr'] }],
    telecom: [{ system: 'email', value: 'thorin@example.org', use: 'home' }],
    gender: 'male',
    birthDate: '1946-04-09',
    address: [{ line: ['1 Lonely Mountain'], city: 'Erebor', postalCode: 'ER1 1AA' }],
    ...overrides,
  };
}

const without = (resource: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(Object.entries(resource).filter(([key]) => !keys.includes(key)));
/** A REST patient without what the server assigns: a PUT body. */
const writable = (patient: Record<string, unknown>) =>
  without(patient, ['id', 'version', 'createdAt', 'updatedAt']) as Record<string, unknown> & {
    name: Record<string, unknown>;
  };

/** Polls until `read` changes from its first value or a second passes (the safety-net entry is written after the response). */
async function eventually<T>(read: () => Promise<T>): Promise<T> {
  const first = await read();
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const value = await read();
    if (value !== first) return value;
  }
  return first;
}

describe('FHIR R4 Patient', () => {
  const app = useAuditedApp();
  const { put } = fhirResource(app, 'Patient');

  const post = (body: unknown, type = FHIR_JSON) =>
    app.ctx.as().post('/fhir/R4/Patient').set('content-type', type).send(JSON.stringify(body));
  const create = async (body: unknown = fhirPatient()) => (await post(body).expect(201)).body;
  const entriesFor = (filter: object) =>
    app.db.collection('audit_entries').find(filter).sort({ at: 1 }).toArray();
  const patientCount = () => app.db.collection('patients').countDocuments();

  function expectOutcome(
    res: { headers: Record<string, string>; body: { resourceType: string; issue: Issue[] } },
    code: string,
    expression?: string,
  ) {
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0]).toMatchObject({ severity: 'error', code });
    if (expression) expect(res.body.issue.flatMap((issue) => issue.expression ?? [])).toContain(expression);
    expect(JSON.stringify(res.body)).not.toMatch(/Oakenshield|Thorin|thorin@|1946/);
  }

  describe('create and read', () => {
    it('creates a patient: 201, Location with _history, weak ETag, meta, fhir+json, and a create entry', async () => {
      const body = fhirPatient();
      const res = await post(body).expect(201);
      expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
      expect(res.body.id).toMatch(/^[\da-f-]{36}$/);
      expect(res.headers.location).toBe(`/fhir/R4/Patient/${res.body.id}/_history/1`);
      expect(res.headers.etag).toBe('W/"1"');
      expect(res.body.meta).toEqual({ versionId: '1', lastUpdated: expect.any(String) });
      expect(content(res.body)).toEqual(body);
      expect(await entriesFor({ resourceId: res.body.id })).toEqual([
        expect.objectContaining({ action: 'create', resourceType: 'Patient', outcome: 201 }),
      ]);
    });

    it('reads the patient back equal, with its ETag and a read entry', async () => {
      const created = await create();
      const res = await app.ctx.as().get(`/fhir/R4/Patient/${created.id}`).expect(200);
      expect(res.body).toEqual(created);
      expect(res.headers.etag).toBe('W/"1"');
      expect(await entriesFor({ resourceId: created.id, action: 'read', outcome: 200 })).toHaveLength(1);
    });

    it('answers 404 with an OperationOutcome for an unknown id', async () => {
      const res = await app.ctx.as().get('/fhir/R4/Patient/4b1e7a52-0000-4000-8000-000000000000').expect(404);
      expectOutcome(res, 'not-found');
    });

    it('keeps the patient hidden (404) from a caller confined to another patient', async () => {
      const created = await create();
      const res = await app.ctx
        .as({
          patientId: '4b1e7a52-0000-4000-8000-000000000000',
          scopes: ['patient/*.rs'],
          roles: [Role.Patient],
        })
        .get(`/fhir/R4/Patient/${created.id}`);
      expect(res.status).toBe(404);
      expectOutcome(res, 'not-found');
    });

    it('answers 401 with an OperationOutcome without a token', async () => {
      const res = await request(app.ctx.http).get('/fhir/R4/Patient/x');
      expect(res.status).toBe(401);
      expectOutcome(res, 'login');
    });
  });

  describe('refuses bad input with a 4xx OperationOutcome and stores nothing', () => {
    it.each([
      ['an element R4 Patient does not have', fhirPatient({ species: 'dog' }), 'Patient.species'],
      [
        'a contained resource',
        fhirPatient({ contained: [{ resourceType: 'Organization' }] }),
        'Patient.contained',
      ],
      [
        'a modifier extension (nothing here understands one)',
        fhirPatient({ modifierExtension: [{ url: 'http://example.org/x', valueBoolean: true }] }),
        'Patient.modifierExtension',
      ],
      [
        'an empty extension list',
        fhirPatient({ _birthDate: { extension: [] } }),
        'Patient._birthDate.extension',
      ],
      ['a non-boolean active', fhirPatient({ active: 'yes' }), 'Patient.active'],
      ['an injection-looking key', fhirPatient({ $where: 'sleep(1000)' }), 'Patient'],
      [
        'a nested injection-looking key',
        fhirPatient({ name: [{ family: 'X', $gt: '' }] }),
        'Patient.name[0]',
      ],
      ['an invalid gender', fhirPatient({ gender: 'dwarf' }), 'Patient.gender'],
      ['an invalid birth date', fhirPatient({ birthDate: '1946-02-30' }), 'Patient.birthDate'],
      [
        'a bad NHS number check digit',
        fhirPatient({ identifier: [{ system: NHS, value: '9434765918' }] }),
        'Patient.identifier[0].value',
      ],
      [
        'a name use outside its value set',
        fhirPatient({ name: [{ use: 'nick', family: 'A' }] }),
        'Patient.name[0].use',
      ],
      [
        'a period that is not a dateTime',
        fhirPatient({ address: [{ city: 'Erebor', period: { start: '2001-02-30T10:00' } }] }),
        'Patient.address[0].period.start',
      ],
      [
        'a telecom value without a system',
        fhirPatient({ telecom: [{ value: '(03) 5555 6473' }] }),
        'Patient.telecom[0].system',
      ],
      ['a name without a family', fhirPatient({ name: [{ given: ['A'] }] }), 'Patient.name[0].family'],
      ['an empty array', fhirPatient({ telecom: [] }), 'Patient.telecom'],
      ['a null', fhirPatient({ address: null }), 'Patient.address'],
      ['another resource type', { ...fhirPatient(), resourceType: 'Observation' }, 'Patient.resourceType'],
    ])('422 for %s, pointing at the element', async (_story, body, expression) => {
      const before = await patientCount();
      const res = await post(body).expect(422);
      expectOutcome(res, 'processing', expression);
      expect(await patientCount()).toBe(before);
    });

    it('enters a refused create in the ledger with the status the caller saw', async () => {
      const bad = fhirPatient({ identifier: [{ system: NHS, value: '9434765918' }] });
      const traceId = 'c'.repeat(31) + '7';
      await post(bad).set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`).expect(422);
      const mine = () => entriesFor({ correlationId: traceId });
      await expect(eventually(async () => (await mine()).length)).resolves.toBe(1);
      expect(await mine()).toMatchObject([{ action: 'create', outcome: 422 }]);
    });

    it('400 for malformed JSON, as an OperationOutcome', async () => {
      const res = await app.ctx
        .as()
        .post('/fhir/R4/Patient')
        .set('content-type', FHIR_JSON)
        .send('{"resourceType": "Pat');
      expect(res.status).toBe(400);
      expectOutcome(res, 'invalid');
    });

    it('415 for a body that is not JSON', async () => {
      const before = await patientCount();
      const res = await post(fhirPatient(), 'application/xml').expect(415);
      expectOutcome(res, 'not-supported');
      expect(await patientCount()).toBe(before);
    });

    it('accepts plain application/json too', async () => {
      await post(fhirPatient(), 'application/json').expect(201);
    });

    it('406 for an Accept or _format it cannot produce; honours _format=json', async () => {
      expectOutcome(
        await app.ctx.as().get('/fhir/R4/metadata').set('accept', 'application/fhir+xml').expect(406),
        'not-supported',
      );
      expectOutcome(await app.ctx.as().get('/fhir/R4/metadata?_format=xml').expect(406), 'not-supported');
      const res = await app.ctx
        .as()
        .get('/fhir/R4/metadata?_format=json')
        .set('accept', 'application/fhir+xml')
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    });

    it('404 OperationOutcome (not problem+json) for what no FHIR route serves', async () => {
      expectOutcome(await app.ctx.as().get('/fhir/R4/Nothing/1').expect(404), 'not-found');
      expectOutcome(await app.ctx.as().post('/fhir/R4/Patient/1').expect(404), 'not-found');
    });
  });

  describe('conditional create (If-None-Exist)', () => {
    const conditional = (body: unknown, criterion: string) =>
      post(body).set('if-none-exist', `identifier=${criterion}`);

    it('answers 200 with the patient already holding the identifier, and creates nothing', async () => {
      const existing = await create();
      const [{ system, value }] = existing.identifier as { system: string; value: string }[];
      const before = await patientCount();
      const res = await conditional(
        fhirPatient({ identifier: [{ system, value }] }),
        `${system}|${value}`,
      ).expect(200);
      expect(res.body.id).toBe(existing.id);
      expect(await patientCount()).toBe(before);
    });

    it('creates one patient from many parallel requests with one identifier: one 201, the rest 200 with it', async () => {
      const identifier = { system: NHS, value: newNhsNumber() };
      const responses = await Promise.all(
        Array.from({ length: 10 }, () =>
          conditional(fhirPatient({ identifier: [identifier] }), `${NHS}|${identifier.value}`),
        ),
      );
      expect(responses.map((res) => res.status).sort()).toEqual([
        200, 200, 200, 200, 200, 200, 200, 200, 200, 201,
      ]);
      expect(new Set(responses.map((res) => res.body.id)).size).toBe(1);
      const stored = await app.db
        .collection('patients')
        .countDocuments({ deleted: false, 'identifier.value': identifier.value });
      expect(stored).toBe(1);
    });

    it('refuses a criterion the resource does not hold (422) and a malformed one (400)', async () => {
      expectOutcome(
        await conditional(fhirPatient(), `${NHS}|${newNhsNumber()}`).expect(422),
        'processing',
        'Patient.identifier',
      );
      expectOutcome(
        await conditional(fhirPatient(), 'family=Oakenshield').expect(400),
        'invalid',
        'identifier',
      );
    });

    it('is declared in the CapabilityStatement', async () => {
      const { body } = await app.ctx.as().get('/fhir/R4/metadata').expect(200);
      const patient = body.rest[0].resource.find((r: { type: string }) => r.type === 'Patient');
      expect(patient.conditionalCreate).toBe(true);
    });
  });

  describe('update', () => {
    it('replaces the patient when If-Match names the current version: version 2, new ETag, update entry', async () => {
      const created = await create();
      const changed = { ...fhirPatient({ identifier: created.identifier }), id: created.id, gender: 'other' };
      const res = await put(created.id, changed, 'W/"1"').expect(200);
      expect(res.body).toMatchObject({ id: created.id, gender: 'other', meta: { versionId: '2' } });
      expect(res.headers.etag).toBe('W/"2"');
      expect(await entriesFor({ resourceId: created.id, action: 'update', outcome: 200 })).toHaveLength(1);
    });

    it('422 for an update carrying an element this server refuses; the record is unchanged', async () => {
      const created = await create();
      const modifier = [{ url: 'http://example.org/x', valueBoolean: true }];
      const res = await put(created.id, { ...created, modifierExtension: modifier }, 'W/"1"');
      expect(res.status).toBe(422);
      expectOutcome(res, 'processing', 'Patient.modifierExtension');
      expect((await app.ctx.as().get(`/fhir/R4/Patient/${created.id}`).expect(200)).body).toEqual(created);
    });

    it('412 for a stale If-Match, 428 without one; the record is unchanged', async () => {
      const created = await create();
      const changed = { ...created, gender: 'female' };
      expectOutcome(await put(created.id, changed, 'W/"7"').expect(412), 'conflict');
      expectOutcome(await put(created.id, changed).expect(428), 'required');
      expect((await app.ctx.as().get(`/fhir/R4/Patient/${created.id}`).expect(200)).body).toEqual(created);
    });

    it('422 when the body id does not match the URL', async () => {
      const created = await create();
      const res = await put(created.id, { ...created, id: 'other' }, 'W/"1"');
      expect(res.status).toBe(422);
      expectOutcome(res, 'processing', 'Patient.id');
    });
  });

  describe('delete', () => {
    it('deletes (204), then read answers 410 Gone, and both are in the ledger', async () => {
      const created = await create();
      await app.ctx.as().delete(`/fhir/R4/Patient/${created.id}`).expect(204);
      expectOutcome(await app.ctx.as().get(`/fhir/R4/Patient/${created.id}`).expect(410), 'deleted');
      expect(await entriesFor({ resourceId: created.id, action: 'delete', outcome: 204 })).toHaveLength(1);
      expect(await entriesFor({ resourceId: created.id, action: 'read', outcome: 410 })).toHaveLength(1);
    });

    it('honours If-Match when sent: 412 when stale, record kept', async () => {
      const created = await create();
      await app.ctx.as().delete(`/fhir/R4/Patient/${created.id}`).set('if-match', 'W/"3"').expect(412);
      await app.ctx.as().get(`/fhir/R4/Patient/${created.id}`).expect(200);
    });

    it('the REST API still answers 404 (not 410) for a deleted patient', async () => {
      const created = await create();
      await app.ctx.as().delete(`/fhir/R4/Patient/${created.id}`).expect(204);
      await app.ctx.as().get(`/api/v1/patients/${created.id}`).expect(404);
    });
  });

  describe('one source of truth with the REST API', () => {
    const ledgerOf = async (id: string) =>
      (await entriesFor({ resourceId: id })).map(({ action, resourceType, patientId, outcome }) => ({
        action,
        resourceType,
        patientId,
        outcome,
      }));

    it('a patient created over FHIR is the one REST reads and changes: same id, version, ETag, one ledger', async () => {
      const created = await create();
      const rest = await app.ctx.as().get(`/api/v1/patients/${created.id}`).expect(200);
      expect(rest.body).toMatchObject({
        id: created.id,
        version: 1,
        gender: 'male',
        birthDate: '1946-04-09',
      });
      expect(rest.headers.etag).toBe('"1"');
      expect(rest.body.updatedAt).toBe(created.meta.lastUpdated);
      const fields = writable(rest.body);
      const changed = await app.ctx
        .as()
        .put(`/api/v1/patients/${created.id}`)
        .set('if-match', '"1"')
        .send({ ...fields, gender: 'female' })
        .expect(200);
      expect(changed.headers.etag).toBe('"2"');
      const read = await app.ctx.as().get(`/fhir/R4/Patient/${created.id}`).expect(200);
      expect(read.headers.etag).toBe('W/"2"');
      expect(read.body).toEqual({
        ...created,
        gender: 'female',
        meta: { versionId: '2', lastUpdated: changed.body.updatedAt },
      });
      const entry = (action: string, outcome: number) => ({
        action,
        resourceType: 'Patient',
        patientId: created.id,
        outcome,
      });
      expect(await ledgerOf(created.id)).toEqual([
        entry('create', 201),
        entry('read', 200),
        entry('update', 200),
        entry('read', 200),
      ]);
    });

    it('a patient created over REST reads and updates over FHIR: same id, version, ETag, one ledger', async () => {
      const rest = (await app.ctx.as().post('/api/v1/patients').send(patientBody()).expect(201)).body;
      const read = await app.ctx.as().get(`/fhir/R4/Patient/${rest.id}`).expect(200);
      expect(read.headers.etag).toBe('W/"1"');
      expect(read.body).toMatchObject({
        id: rest.id,
        meta: { versionId: '1', lastUpdated: rest.updatedAt },
        name: [{ family: rest.name.family, given: rest.name.given, prefix: rest.name.prefix }],
        identifier: rest.identifier,
        telecom: rest.telecom,
        address: rest.address,
      });
      const updated = await app.ctx
        .as()
        .put(`/fhir/R4/Patient/${rest.id}`)
        .set('content-type', FHIR_JSON)
        .set('if-match', 'W/"1"')
        .send(JSON.stringify({ ...read.body, gender: 'female', active: true }))
        .expect(200);
      expect(updated.headers.etag).toBe('W/"2"');
      const again = await app.ctx.as().get(`/api/v1/patients/${rest.id}`).expect(200);
      expect(again.headers.etag).toBe('"2"');
      expect(again.body).toEqual({
        ...rest,
        gender: 'female',
        version: 2,
        updatedAt: updated.body.meta.lastUpdated,
      });
      const history = await app.ctx.as().get(`/fhir/R4/Patient/${rest.id}/_history`).expect(200);
      expect(history.body.entry.map((e: { response: { etag: string } }) => e.response.etag)).toEqual([
        'W/"2"',
        'W/"1"',
      ]);
      expect((await ledgerOf(rest.id)).map(({ action }) => action)).toEqual([
        'create',
        'read',
        'update',
        'read',
        'history-instance',
      ]);
    });
  });

  describe('the official HL7 example', () => {
    let examples = 0;
    /** The example with an identifier value of its own (one patient per identifier), otherwise untouched. */
    const example = () => {
      const original = fixture('patient-example.json') as { identifier: { value: string }[] };
      examples += 1;
      original.identifier[0].value = `12345-${Date.now()}-${examples}`;
      return original as unknown as Record<string, unknown>;
    };
    const put = (id: string, body: unknown, ifMatch: string) =>
      app.ctx
        .as()
        .put(`/fhir/R4/Patient/${id}`)
        .set('content-type', FHIR_JSON)
        .set('if-match', ifMatch)
        .send(JSON.stringify(body));

    it('is accepted whole (201) and read back equal apart from id and meta, over read, vread and search', async () => {
      const body = example();
      const created = await create(body);
      expect(content(created)).toEqual(content(body));
      const read = await app.ctx.as().get(`/fhir/R4/Patient/${created.id}`).expect(200);
      expect(read.body).toEqual(created);
      const vread = await app.ctx.as().get(`/fhir/R4/Patient/${created.id}/_history/1`).expect(200);
      expect(vread.body).toEqual(created);
      const found = await app.ctx.as().get(`/fhir/R4/Patient?_id=${created.id}`).expect(200);
      expect(found.body.entry.map((entry: { resource: unknown }) => entry.resource)).toEqual([created]);
    });

    it('is found by each of its names: official, usual and maiden', async () => {
      const created = await create(example());
      for (const query of ['family=chalmers', 'given=jim', 'family=windsor', 'name=pet']) {
        const found = await app.ctx.as().get(`/fhir/R4/Patient?_id=${created.id}&${query}`).expect(200);
        expect(found.body.entry).toHaveLength(1);
      }
    });

    it('shows REST the official name and the FHIR datatypes it models; the rest stays on the FHIR face', async () => {
      const body = example();
      const created = await create(body);
      const rest = await app.ctx.as().get(`/api/v1/patients/${created.id}`).expect(200);
      expect(rest.body.name).toEqual({
        use: 'official',
        family: 'Chalmers',
        given: ['Peter', 'James'],
        prefix: [],
      });
      expect(rest.body.identifier).toEqual(body.identifier);
      expect(rest.body.telecom).toEqual(body.telecom);
      expect(rest.body.address).toEqual(body.address);
      expect(rest.body).not.toHaveProperty('fhirElements');
      expect(rest.body).not.toHaveProperty('contact');
    });

    it('keeps its FHIR-only elements and other names through a REST replace and a REST merge patch', async () => {
      const body = example();
      const created = await create(body);
      const rest = (await app.ctx.as().get(`/api/v1/patients/${created.id}`).expect(200)).body;
      const fields = writable(rest);
      await app.ctx
        .as()
        .put(`/api/v1/patients/${created.id}`)
        .set('if-match', '"1"')
        .send({ ...fields, name: { ...fields.name, family: 'Chalmers-Smith' } })
        .expect(200);
      await app.ctx
        .as()
        .patch(`/api/v1/patients/${created.id}`)
        .set('if-match', '"2"')
        .set('content-type', 'application/merge-patch+json')
        .send(JSON.stringify({ gender: 'other' }))
        .expect(200);
      const read = (await app.ctx.as().get(`/fhir/R4/Patient/${created.id}`).expect(200)).body;
      const expected = content(body) as { name: { family?: string }[] };
      expected.name[0] = { ...expected.name[0], family: 'Chalmers-Smith' };
      expect(content(read)).toEqual({ ...expected, gender: 'other' });
      expect(read.meta.versionId).toBe('3');
    });

    it('a JSON Patch changes FHIR-only elements and the record name alike, keeping the rest', async () => {
      const body = example();
      const created = await create(body);
      const patch = [
        { op: 'replace', path: '/deceasedBoolean', value: true },
        { op: 'add', path: '/name/0/suffix', value: ['Jr'] },
      ];
      const res = await app.ctx
        .as()
        .patch(`/fhir/R4/Patient/${created.id}`)
        .set('content-type', 'application/json-patch+json')
        .send(JSON.stringify(patch))
        .expect(200);
      const expected = content(body) as { name: Record<string, unknown>[] };
      expected.name[0] = { ...expected.name[0], suffix: ['Jr'] };
      expect(content(res.body)).toEqual({ ...expected, deceasedBoolean: true });
      const rest = await app.ctx.as().get(`/api/v1/patients/${created.id}`).expect(200);
      expect(rest.body.name.suffix).toEqual(['Jr']);
    });

    it('a FHIR update replaces the FHIR-only elements too: what the body leaves out is gone', async () => {
      const created = await create(example());
      const rest = without(created, ['contact', '_birthDate']);
      const res = await put(created.id, rest, 'W/"1"').expect(200);
      expect(res.body).not.toHaveProperty('contact');
      expect(res.body).not.toHaveProperty('_birthDate');
      const read = await app.ctx.as().get(`/fhir/R4/Patient/${created.id}`).expect(200);
      expect(content(read.body)).toEqual(content(rest));
    });
  });

  describe('search', () => {
    it('finds by identifier, family, given, birthdate and gender in a searchset Bundle', async () => {
      const nhs = newNhsNumber();
      const created = await create(
        fhirPatient({
          identifier: [{ system: NHS, value: nhs }],
          name: [{ family: 'Durin', given: ['Balin'] }],
        }),
      );
      const res = await app.ctx
        .as()
        .get(
          `/fhir/R4/Patient?identifier=${encodeURIComponent(`${NHS}|${nhs}`)}&family=dur&given=bal&birthdate=eq1946-04-09&gender=male`,
        )
        .expect(200);
      expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
      expect(res.body.entry).toEqual([
        expect.objectContaining({ resource: created, search: { mode: 'match' } }),
      ]);
      expect(res.body.entry[0].fullUrl).toMatch(new RegExp(`/fhir/R4/Patient/${created.id}$`));
      expect(await entriesFor({ action: 'search', resourceType: 'Patient', count: 1 })).not.toHaveLength(0);
    });

    it('pages with a next link carrying a cursor, never an offset', async () => {
      for (let i = 0; i < 3; i += 1) await create(fhirPatient({ name: [{ family: 'Pagewalker' }] }));
      const first = (await app.ctx.as().get('/fhir/R4/Patient?family=pagewalker&_count=2').expect(200)).body;
      expect(first.entry).toHaveLength(2);
      const next = first.link.find((link: Link) => link.relation === 'next').url as string;
      expect(next).toContain('_cursor=');
      const second = (
        await app.ctx
          .as()
          .get(next.slice(next.indexOf('/fhir/')))
          .expect(200)
      ).body;
      expect(second.entry).toHaveLength(1);
      expect(second.link.map((link: Link) => link.relation)).toEqual(['self']);
      const ids = [...first.entry, ...second.entry].map(
        (entry: { resource: { id: string } }) => entry.resource.id,
      );
      expect(new Set(ids).size).toBe(3);
    });

    it('400 for unknown parameters, modifiers and unsupported date prefixes', async () => {
      expectOutcome(await app.ctx.as().get('/fhir/R4/Patient?colour=red').expect(400), 'invalid', 'colour');
      expectOutcome(
        await app.ctx.as().get('/fhir/R4/Patient?family:below=X').expect(400),
        'invalid',
        'family:below',
      );
      expectOutcome(
        await app.ctx.as().get('/fhir/R4/Patient?birthdate=xx2000-01-01').expect(400),
        'invalid',
        'birthdate',
      );
      expectOutcome(await app.ctx.as().get('/fhir/R4/Patient?gender=dwarf').expect(400), 'invalid', 'gender');
    });
  });

  describe('metadata', () => {
    it('is public and lists exactly the interactions whose routes answer', async () => {
      const res = await request(app.ctx.http).get('/fhir/R4/metadata').expect(200);
      expect(res.body).toMatchObject({
        resourceType: 'CapabilityStatement',
        fhirVersion: '4.0.1',
        kind: 'instance',
      });
      const patient = res.body.rest[0].resource.find(
        (resource: { type: string }) => resource.type === 'Patient',
      );
      expect(patient.interaction.map((interaction: { code: string }) => interaction.code).sort()).toEqual([
        'create',
        'delete',
        'history-instance',
        'history-type',
        'patch',
        'read',
        'search-type',
        'update',
        'vread',
      ]);
      expect(patient.readHistory).toBe(true);
      expect(patient.searchParam.map((param: { name: string }) => param.name).sort()).toEqual([
        '_id',
        '_lastUpdated',
        'birthdate',
        'family',
        'gender',
        'given',
        'identifier',
        'name',
      ]);
    });

    it('every interaction it lists is served by a route (none falls through to the fallback)', async () => {
      const statement = (await request(app.ctx.http).get('/fhir/R4/metadata').expect(200)).body;
      for (const resource of statement.rest[0].resource) {
        for (const { code } of resource.interaction) {
          const { method, path: route } = routeOf(resource.type, code);
          const url = route.replace(':id', '4b1e7a52-0000-4000-8000-000000000000').replace(':vid', '1');
          const res = await app.ctx
            .as()
            [method.toLowerCase() as 'get'](url)
            .set('content-type', FHIR_JSON)
            .send('{}');
          expect(JSON.stringify(res.body)).not.toContain(NO_ROUTE);
        }
      }
      const unserved = await app.ctx.as().get('/fhir/R4/Patient/1/_history/1/more');
      expect(JSON.stringify(unserved.body)).toContain(NO_ROUTE);
    });
  });
});
