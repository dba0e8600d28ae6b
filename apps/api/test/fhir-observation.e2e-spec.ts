/* eslint-disable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- supertest gives untyped bodies */
import { randomUUID } from 'node:crypto';
import { ObservationResourceService } from '@hdp/fhir';
import { VersionMismatchError } from '@hdp/patients';
import { Role } from '@hdp/platform';
import { asPipeline as runAsPipeline, content, expectOutcome, fixture } from './support/fhir-fixtures';
import { entryIds, fhirResource, Resource } from './support/fhir-writes';
import { recordFinds, servedByIndex } from './support/index-probe';
import { intentsCleared } from './support/intents';
import { newNhsNumber, resultBody, useAuditedApp } from './support/patients-fixtures';

const LOINC = 'http://loinc.org';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const UNKNOWN_ID = '4b1e7a52-0000-4000-8000-000000000000';

/**
 * An official example re-pointed at a patient this server holds (its display kept), without its id, and with
 * a fresh identifier value (one Observation per identifier: the blood pressure example is created repeatedly).
 */
function example(name: string, patientId: string): Resource {
  const resource: Resource = fixture(name);
  delete resource.id;
  const identifier = resource.identifier?.map((id: Resource) => ({
    ...id,
    value: `urn:uuid:${randomUUID()}`,
  }));
  return {
    ...resource,
    ...(identifier ? { identifier } : {}),
    subject: { ...resource.subject, reference: `Patient/${patientId}` },
  };
}

function observation(patientId: string, overrides: Resource = {}): Resource {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: CATEGORY, code: 'vital-signs' }] }],
    code: { coding: [{ system: LOINC, code: '8867-4', display: 'Heart rate' }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: '2026-03-01T10:00:00Z',
    valueQuantity: { value: 72, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
    ...overrides,
  };
}

describe('FHIR R4 Observation', () => {
  const app = useAuditedApp();
  const { send, post, put, create, newPatient } = fhirResource(app, 'Observation');
  const entriesFor = (filter: object) =>
    app.db.collection('audit_entries').find(filter).sort({ at: 1 }).toArray();
  const resultCount = () => app.db.collection('test_results').countDocuments();

  describe('the official HL7 examples', () => {
    it.each([
      'observation-example-heart-rate.json',
      'observation-example-bloodpressure.json',
      'observation-example-sample-data.json',
    ])('%s is accepted and read back equal apart from id and meta', async (name) => {
      const body = example(name, await newPatient());
      const created = await create(body);
      const read = await app.ctx.as().get(`/fhir/R4/Observation/${created.id}`).expect(200);
      expect(content(read.body)).toEqual(content(body));
      expect(read.body.meta).toEqual({ ...body.meta, versionId: '1', lastUpdated: expect.any(String) });
    });

    it('the blood pressure panel reads over REST as the same record: its first code, no value of its own', async () => {
      const patientId = await newPatient();
      const created = await create(example('observation-example-bloodpressure.json', patientId));
      const rest = await app.ctx
        .as()
        .get(`/api/v1/patients/${patientId}/test-results/${created.id}`)
        .expect(200);
      expect(rest.body).toMatchObject({
        id: created.id,
        version: 1,
        code: { system: LOINC, code: '85354-9' },
        status: 'final',
        effectiveDateTime: '2012-09-17T00:00:00.000Z',
        interpretation: [{ code: 'L' }],
      });
      expect(rest.body).not.toHaveProperty('valueQuantity');
    });
  });

  describe('create and read', () => {
    it('creates: 201, Location with _history, weak ETag, meta, and a create entry under the patient', async () => {
      const patientId = await newPatient();
      const res = await post(observation(patientId)).expect(201);
      expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
      expect(res.headers.location).toBe(`/fhir/R4/Observation/${res.body.id}/_history/1`);
      expect(res.headers.etag).toBe('W/"1"');
      expect(res.body.meta).toEqual({ versionId: '1', lastUpdated: expect.any(String) });
      expect(await entriesFor({ resourceId: res.body.id })).toEqual([
        expect.objectContaining({ action: 'create', resourceType: 'TestResult', patientId, outcome: 201 }),
      ]);
    });

    it('reads by id alone, with its ETag and a read entry', async () => {
      const created = await create(observation(await newPatient()));
      const res = await app.ctx.as().get(`/fhir/R4/Observation/${created.id}`).expect(200);
      expect(res.body).toEqual(created);
      expect(res.headers.etag).toBe('W/"1"');
      expect(await entriesFor({ resourceId: created.id, action: 'read', outcome: 200 })).toHaveLength(1);
    });

    it('404 for an unknown id, and for a result outside the caller’s compartment', async () => {
      expectOutcome(await app.ctx.as().get(`/fhir/R4/Observation/${UNKNOWN_ID}`), 404);
      expectOutcome(await app.ctx.as().get('/fhir/R4/Observation/not-an-id'), 404);
      const created = await create(observation(await newPatient()));
      const other = { patientId: UNKNOWN_ID, roles: [Role.Patient], scopes: ['patient/*.rs'] };
      expectOutcome(await app.ctx.as(other).get(`/fhir/R4/Observation/${created.id}`), 404);
    });

    it('403 for a token without an Observation scope; a read-only scope cannot write', async () => {
      const created = await create(observation(await newPatient()));
      const patientsOnly = { scopes: ['user/Patient.rs'] };
      expectOutcome(await app.ctx.as(patientsOnly).get(`/fhir/R4/Observation/${created.id}`), 403);
      const readOnly = { scopes: ['user/Observation.rs'] };
      await app.ctx.as(readOnly).get(`/fhir/R4/Observation/${created.id}`).expect(200);
      expectOutcome(await post(observation(created.subject.reference.slice(8)), readOnly), 403);
    });
  });

  describe('refuses bad input with a 4xx OperationOutcome and stores nothing', () => {
    const cases: [string, (patientId: string) => Resource, string][] = [
      ['an unknown subject', () => observation(UNKNOWN_ID), 'Observation.subject'],
      [
        'a subject that is not a Patient',
        (id) => observation(id, { subject: { reference: `Group/${id}` } }),
        'Observation.subject',
      ],
      ['no subject', (id) => observation(id, { subject: undefined }), 'Observation.subject'],
      ['a status outside the value set', (id) => observation(id, { status: 'done' }), 'Observation.status'],
      ['a code without a coding', (id) => observation(id, { code: { text: 'pulse' } }), 'Observation.code'],
      [
        'no effective time',
        (id) => observation(id, { effectiveDateTime: undefined }),
        'Observation.effective[x]',
      ],
      [
        'a malformed effective time',
        (id) => observation(id, { effectiveDateTime: '2026-02-30' }),
        'Observation.effectiveDateTime',
      ],
      ['two values', (id) => observation(id, { valueString: 'fast' }), 'Observation.value[x]'],
      [
        'an extension',
        (id) => observation(id, { extension: [{ url: 'http://x', valueString: 'y' }] }),
        'Observation.extension',
      ],
      ['an injection-looking key', (id) => observation(id, { $where: 'sleep(1000)' }), 'Observation'],
      [
        'an operator where a primitive belongs',
        (id) => observation(id, { code: { coding: [{ system: LOINC, code: { $ne: '' } }] } }),
        'Observation.code.coding[0].code',
      ],
      [
        'an identifier without a value',
        (id) => observation(id, { identifier: [{ system: 'urn:x' }] }),
        'Observation.identifier[0]',
      ],
      [
        'a component without a code',
        (id) => observation(id, { component: [{ valueString: 'x' }] }),
        'Observation.component[0].code',
      ],
      [
        'another resource type',
        (id) => observation(id, { resourceType: 'Patient' }),
        'Observation.resourceType',
      ],
    ];
    it.each(cases)('422 for %s, pointing at %s', async (_story, body, expression) => {
      const patientId = await newPatient();
      const before = await resultCount();
      expectOutcome(await post(body(patientId)), 422, expression);
      expect(await resultCount()).toBe(before);
    });

    it('a patient confined to their compartment cannot file a result for another patient (422 subject)', async () => {
      const other = await newPatient();
      const confined = { patientId: UNKNOWN_ID, roles: [Role.Patient], scopes: ['patient/*.cruds'] };
      expectOutcome(await post(observation(other), confined), 422, 'Observation.subject');
    });
  });

  describe('update and delete', () => {
    it('replaces with If-Match (428 without, 412 when stale), keeps the patient, and ledgers the update', async () => {
      const patientId = await newPatient();
      const created = await create(observation(patientId));
      const amended = { ...observation(patientId, { status: 'amended' }), id: created.id };
      expectOutcome(await put(created.id, amended), 428);
      expectOutcome(await put(created.id, amended, 'W/"7"'), 412);
      const res = await put(created.id, amended, 'W/"1"').expect(200);
      expect(res.headers.etag).toBe('W/"2"');
      expect(res.body).toMatchObject({ status: 'amended', meta: { versionId: '2' } });
      expectOutcome(
        await put(
          created.id,
          { ...amended, subject: { reference: `Patient/${await newPatient()}` } },
          'W/"2"',
        ),
        422,
        'Observation.subject',
      );
      expectOutcome(await put(created.id, { ...amended, id: UNKNOWN_ID }, 'W/"2"'), 422, 'Observation.id');
      expect(
        await entriesFor({ resourceId: created.id, action: 'update', outcome: 200, patientId }),
      ).toHaveLength(1);
    });

    it('409 for an update to an identifier another Observation holds; the Observation is unchanged', async () => {
      const patientId = await newPatient();
      const held = await create(
        observation(patientId, { identifier: [{ system: 'urn:x', value: randomUUID() }] }),
      );
      const created = await create(observation(patientId));
      const taken = { ...observation(patientId, { identifier: held.identifier }), id: created.id };
      expectOutcome(await put(created.id, taken, 'W/"1"'), 409);
      expect((await app.ctx.as().get(`/fhir/R4/Observation/${created.id}`).expect(200)).body).toEqual(
        created,
      );
    });

    it('deletes (204), then read answers 410 and REST 404; both in the ledger', async () => {
      const patientId = await newPatient();
      const created = await create(observation(patientId));
      await app.ctx.as().delete(`/fhir/R4/Observation/${created.id}`).set('if-match', 'W/"3"').expect(412);
      await app.ctx.as().delete(`/fhir/R4/Observation/${created.id}`).expect(204);
      expectOutcome(await app.ctx.as().get(`/fhir/R4/Observation/${created.id}`), 410);
      await app.ctx.as().get(`/api/v1/patients/${patientId}/test-results/${created.id}`).expect(404);
      expect(await entriesFor({ resourceId: created.id, action: 'delete', outcome: 204 })).toHaveLength(1);
      expect(await entriesFor({ resourceId: created.id, action: 'read', outcome: 410 })).toHaveLength(1);
    });
  });

  describe('one source of truth with the REST API', () => {
    it('a result recorded over REST reads over FHIR with the same id, version and trail', async () => {
      const patientId = await newPatient();
      const rest = (
        await app.ctx.as().post(`/api/v1/patients/${patientId}/test-results`).send(resultBody()).expect(201)
      ).body;
      const res = await app.ctx.as().get(`/fhir/R4/Observation/${rest.id}`).expect(200);
      expect(res.body).toEqual({
        resourceType: 'Observation',
        id: rest.id,
        meta: { versionId: '1', lastUpdated: rest.updatedAt },
        status: 'final',
        code: { coding: [{ system: LOINC, code: '2339-0', display: 'Glucose [Mass/volume] in Blood' }] },
        subject: { reference: `Patient/${patientId}` },
        effectiveDateTime: '2026-01-10T08:30:00.000Z',
        valueQuantity: { value: 5.4, unit: 'mmol/L', system: 'http://unitsofmeasure.org' },
        referenceRange: [{ text: '3.9-5.5 mmol/L' }],
      });
      const entries = await entriesFor({ resourceId: rest.id });
      expect(entries.map((entry) => [entry.action, entry.resourceType])).toEqual([
        ['create', 'TestResult'],
        ['read', 'TestResult'],
      ]);
    });

    it('a REST replace changes what REST shows and keeps the elements only FHIR carries', async () => {
      const patientId = await newPatient();
      const body = example('observation-example-bloodpressure.json', patientId);
      const created = await create(body);
      const url = `/api/v1/patients/${patientId}/test-results/${created.id}`;
      await app.ctx
        .as()
        .put(url)
        .set('if-match', '"1"')
        .send(resultBody({ status: 'amended' }))
        .expect(200);
      const res = await app.ctx.as().get(`/fhir/R4/Observation/${created.id}`).expect(200);
      expect(res.body).toMatchObject({
        meta: { versionId: '2' },
        status: 'amended',
        code: { coding: [{ system: LOINC, code: '2339-0' }] },
        identifier: body.identifier,
        category: body.category,
        component: body.component,
        bodySite: body.bodySite,
      });
      expect(res.body).not.toHaveProperty('performer');
    });
  });

  describe('search', () => {
    let patientId: string;
    let heart: Resource;
    let glucose: Resource;
    let panel: Resource;

    beforeAll(async () => {
      patientId = await newPatient();
      heart = await create(observation(patientId, { device: { reference: 'Device/monitor-7' } }));
      glucose = await create(
        observation(patientId, {
          status: 'preliminary',
          category: [{ coding: [{ system: CATEGORY, code: 'laboratory' }] }],
          code: { coding: [{ system: LOINC, code: '2339-0' }] },
          effectiveDateTime: '2026-03-02',
        }),
      );
      panel = await create(
        observation(patientId, {
          effectiveDateTime: undefined,
          effectivePeriod: { start: '2026-02-27T22:00:00Z', end: '2026-02-28T02:00:00Z' },
        }),
      );
      await create(observation(await newPatient()));
    });

    const search = async (query: string) =>
      (await app.ctx.as().get(`/fhir/R4/Observation?subject=Patient/${patientId}&${query}`).expect(200)).body;

    it.each([
      ['patient', `patient=${'{id}'}`, ['heart', 'glucose', 'panel']],
      ['code system|code', `code=${encodeURIComponent(`${LOINC}|2339-0`)}`, ['glucose']],
      ['code alone, alternatives', 'code=8867-4,nope', ['heart', 'panel']],
      ['category', `category=${encodeURIComponent(`${CATEGORY}|laboratory`)}`, ['glucose']],
      ['status', 'status=preliminary', ['glucose']],
      ['device', 'device=Device/monitor-7', ['heart']],
      ['a partial date (the day)', 'date=2026-03-01', ['heart']],
      ['eq a month', 'date=eq2026-03', ['heart', 'glucose']],
      ['lt', 'date=lt2026-03-01', ['panel']],
      ['le', 'date=le2026-03-01', ['heart', 'panel']],
      ['gt', 'date=gt2026-03-01', ['glucose']],
      ['ge', 'date=ge2026-02-28', ['heart', 'glucose', 'panel']],
      ['a range by repetition', 'date=ge2026-03-01&date=lt2026-03-02', ['heart']],
      ['a period that straddles midnight is not within either day', 'date=2026-02-28', []],
    ])('by %s', async (_story, query, expected) => {
      const named: Record<string, Resource> = { heart, glucose, panel };
      const bundle = await search(query.replace('{id}', patientId));
      expect(entryIds(bundle)).toEqual(expected.map((name) => named[name].id).sort());
    });

    it('across patients for a clinician; only their own for a patient-context token', async () => {
      const all = (await app.ctx.as().get('/fhir/R4/Observation?code=8867-4&_count=100').expect(200)).body;
      expect(entryIds(all).length).toBeGreaterThanOrEqual(3);
      const own = { patientId, roles: [Role.Patient], scopes: ['patient/Observation.rs'] };
      const mine = (await app.ctx.as(own).get('/fhir/R4/Observation?code=8867-4').expect(200)).body;
      expect(entryIds(mine)).toEqual([heart.id, panel.id].sort());
      const others = await app.ctx.as(own).get(`/fhir/R4/Observation?subject=${UNKNOWN_ID}`).expect(200);
      expect(others.body.entry ?? []).toEqual([]);
    });

    it('pages newest first with a next link carrying a cursor; a search entry counts each page', async () => {
      const first = await search('_count=2');
      expect(first.entry.map((entry: Resource) => entry.resource.id)).toEqual([glucose.id, heart.id]);
      const next = first.link.find((link: Resource) => link.relation === 'next').url as string;
      expect(next).toContain('_cursor=');
      const second = (
        await app.ctx
          .as()
          .get(next.slice(next.indexOf('/fhir/')))
          .expect(200)
      ).body;
      expect(second.entry.map((entry: Resource) => entry.resource.id)).toEqual([panel.id]);
      expect(second.link.map((link: Resource) => link.relation)).toEqual(['self']);
      expect(
        await entriesFor({ action: 'search', resourceType: 'TestResult', patientId, count: 2 }),
      ).not.toHaveLength(0);
    });

    it.each([
      ['an unknown parameter', 'colour=red', 'colour'],
      ['a modifier', 'code:text=pulse', 'code:text'],
      ['an unknown date prefix', 'date=xx2026-01-01', 'date'],
      ['a malformed date', 'date=2026-13', 'date'],
      ['an unknown status', 'status=done', 'status'],
      ['a subject that is not a patient id', 'subject=Group/1', 'subject'],
      ['a count over the limit', '_count=1000', '_count'],
    ])('400 for %s', async (_story, query, param) => {
      expectOutcome(await app.ctx.as().get(`/fhir/R4/Observation?${query}`), 400, param);
    });
  });

  describe('every search parameter is served by a declared index', () => {
    const finds = recordFinds('test_results', (filter) => 'deleted' in filter);

    /** DocumentDB's composite indexes serve a condition on any of their keys (MongoDB: a leading prefix). */
    const servedBy = (filter: Record<string, unknown>, field: string) =>
      servedByIndex(app.db.collection('test_results'), filter, { effectiveStart: -1, _id: -1 }, (keys) =>
        keys.includes(field),
      );

    it.each([
      ['subject', `subject=Patient/${UNKNOWN_ID}`, 'patientId'],
      ['code', 'code=8867-4', 'codeTokens'],
      ['category', `category=${CATEGORY}|vital-signs`, 'categoryTokens'],
      ['status', 'status=final', 'status'],
      ['device', 'device=Device/monitor-7', 'device'],
      ['date (eq, lt, le)', 'date=lt2026-01-01', 'effectiveStart'],
      ['date (gt, ge)', 'date=ge2026-01-01', 'effectiveEnd'],
      ['_lastUpdated', '_lastUpdated=ge2026-01-01', 'updatedAt'],
      ['value-quantity', 'value-quantity=gt5', 'observation.valueQuantity.value'],
    ])('%s', async (_param, query, field) => {
      await app.ctx.as().get(`/fhir/R4/Observation?${query}`).expect(200);
      expect(finds).toHaveLength(1);
      expect(await servedBy(finds[0], field)).toBe(true);
    });
  });

  describe('conditional update by identifier', () => {
    const identifier = () => ({ system: 'urn:example:device-readings', value: `reading-${newNhsNumber()}` });
    const conditional = (id: { system: string; value: string }, body: unknown, ifMatch?: string) =>
      send(
        'put',
        `/fhir/R4/Observation?identifier=${encodeURIComponent(`${id.system}|${id.value}`)}`,
        body,
        ifMatch,
      );

    it('creates when none matches (201), updates the match after (200, same id, version 2)', async () => {
      const patientId = await newPatient();
      const id = identifier();
      const created = await conditional(id, observation(patientId, { identifier: [id] })).expect(201);
      expect(created.headers.location).toBe(`/fhir/R4/Observation/${created.body.id}/_history/1`);
      const updated = await conditional(
        id,
        observation(patientId, { identifier: [id], status: 'amended' }),
      ).expect(200);
      expect(updated.body).toMatchObject({
        id: created.body.id,
        status: 'amended',
        meta: { versionId: '2' },
      });
      expect(updated.headers.etag).toBe('W/"2"');
      expectOutcome(await conditional(id, observation(patientId, { identifier: [id] }), 'W/"1"'), 412);
      const actions = (await entriesFor({ resourceId: created.body.id })).map((entry) => entry.action);
      expect(actions).toEqual(['create', 'update', 'update']);
    });

    it('If-None-Match: * only creates: 201, then 412 with the Observation unchanged', async () => {
      const patientId = await newPatient();
      const id = identifier();
      const body = observation(patientId, { identifier: [id] });
      const created = (await conditional(id, body).set('if-none-match', '*').expect(201)).body;
      const again = conditional(id, { ...body, status: 'amended' }).set('if-none-match', '*');
      expectOutcome(await again, 412);
      const read = await app.ctx.as().get(`/fhir/R4/Observation/${created.id}`).expect(200);
      expect(read.body).toMatchObject({ status: 'final', meta: { versionId: '1' } });
    });

    it('serves the device pipeline sink in process: read by identifier, create-only, then a versioned merge', async () => {
      const patientId = await newPatient();
      const id = identifier();
      const service = app.ctx.app.get(ObservationResourceService);
      const asPipeline = <T>(work: () => Promise<T>) => runAsPipeline(app.ctx.app, work);
      const body = observation(patientId, { identifier: [id] });

      await expect(asPipeline(() => service.readByIdentifier(id))).resolves.toBeUndefined();
      const first = await asPipeline(() => service.updateByIdentifier(id, body, { ifNoneMatch: '*' }));
      expect(first.created).toBe(true);
      await intentsCleared(app.db, 'test_results', first.resource.id as string);
      const held = await asPipeline(() => service.readByIdentifier(id));
      expect(held).toMatchObject({ id: first.resource.id, meta: { versionId: '1' } });
      const merged = { ...body, valueQuantity: { value: 80 } };
      const ifMatch = `W/"${held?.meta?.versionId}"`;
      const second = await asPipeline(() => service.updateByIdentifier(id, merged, { ifMatch }));
      expect(second).toMatchObject({ created: false, resource: { meta: { versionId: '2' } } });
      await expect(
        asPipeline(() => service.updateByIdentifier(id, merged, { ifMatch })),
      ).rejects.toBeInstanceOf(VersionMismatchError);
    });

    it('ten parallel conditional updates with one identifier yield exactly one Observation', async () => {
      const patientId = await newPatient();
      const id = identifier();
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          conditional(id, observation(patientId, { identifier: [id], valueQuantity: { value: 60 + i } })),
        ),
      );
      expect(responses.map((res) => res.status).sort()).toEqual([
        200, 200, 200, 200, 200, 200, 200, 200, 200, 201,
      ]);
      expect(new Set(responses.map((res) => res.body.id)).size).toBe(1);
      const stored = await app.db.collection('test_results').find({ patientId, deleted: false }).toArray();
      expect(stored).toHaveLength(1);
      // None of the nine updates is lost: each version is claimed in the version store before it is written.
      expect(stored[0].version).toBe(10);
    });

    it('412 when several Observations hold the identifier; a plain create of a taken identifier is 409', async () => {
      const patientId = await newPatient();
      const id = identifier();
      await create(observation(patientId, { identifier: [id] }));
      expectOutcome(await post(observation(patientId, { identifier: [id] })), 409);
      await create(observation(patientId, { identifier: [identifier(), id] }));
      expectOutcome(await conditional(id, observation(patientId, { identifier: [id] })), 412);
    });

    it('400 without an identifier criterion; 422 when the resource does not carry it first', async () => {
      const patientId = await newPatient();
      expectOutcome(
        await send('put', '/fhir/R4/Observation?code=8867-4', observation(patientId)),
        400,
        'identifier',
      );
      expectOutcome(
        await conditional(identifier(), observation(patientId, { identifier: [identifier()] })),
        422,
        'Observation.identifier[0]',
      );
    });

    it('an identifier is free again once its Observation is deleted', async () => {
      const patientId = await newPatient();
      const id = identifier();
      const first = (await conditional(id, observation(patientId, { identifier: [id] })).expect(201)).body;
      await intentsCleared(app.db, 'test_results', first.id as string);
      await app.ctx.as().delete(`/fhir/R4/Observation/${first.id}`).expect(204);
      const second = (await conditional(id, observation(patientId, { identifier: [id] })).expect(201)).body;
      expect(second.id).not.toBe(first.id);
    });
  });

  describe('metadata', () => {
    it('lists the Observation interactions, search parameters and conditional update', async () => {
      const statement = (await app.ctx.as().get('/fhir/R4/metadata').expect(200)).body;
      const resource = statement.rest[0].resource.find((entry: Resource) => entry.type === 'Observation');
      expect(resource.interaction.map((entry: Resource) => entry.code).sort()).toEqual([
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
      expect(resource.conditionalUpdate).toBe(true);
      expect(resource.conditionalCreate).toBe(true);
      expect(resource.searchParam.map((param: Resource) => param.name).sort()).toEqual([
        '_lastUpdated',
        'category',
        'code',
        'date',
        'device',
        'patient',
        'status',
        'subject',
        'value-quantity',
      ]);
      expect(resource.searchParam).toContainEqual({ name: 'value-quantity', type: 'quantity' });
    });
  });
});
