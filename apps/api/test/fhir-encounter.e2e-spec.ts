/* eslint-disable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- supertest gives untyped bodies */
import { Role } from '@hdp/platform';
import { expectOutcome } from './support/fhir-fixtures';
import { entryIds, fhirResource, Resource } from './support/fhir-writes';
import { newNhsNumber, useAuditedApp } from './support/patients-fixtures';

const SYSTEM = 'urn:example:encounters';
const UNKNOWN_ID = '4b1e7a52-0000-4000-8000-000000000000';
const AMBULATORY = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' };
const INPATIENT = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' };

const identifier = () => ({ system: SYSTEM, value: `visit-${newNhsNumber()}` });

function encounter(patientId: string, overrides: Resource = {}): Resource {
  return {
    resourceType: 'Encounter',
    identifier: [identifier()],
    status: 'in-progress',
    class: AMBULATORY,
    subject: { reference: `Patient/${patientId}` },
    period: { start: '2026-03-01T09:00:00Z', end: '2026-03-01T10:00:00Z' },
    ...overrides,
  };
}

describe('FHIR R4 Encounter', () => {
  const app = useAuditedApp();
  const { post, put, create, newPatient, search } = fhirResource(app, 'Encounter');
  const entriesFor = (filter: object) => app.db.collection('audit_entries').find(filter).toArray();

  it('creates (201, Location, ETag, a create entry under the patient) and reads it back', async () => {
    const patientId = await newPatient();
    const body = encounter(patientId);
    const res = await post(body).expect(201);
    expect(res.headers.location).toBe(`/fhir/R4/Encounter/${res.body.id}/_history/1`);
    expect(res.headers.etag).toBe('W/"1"');
    const read = await app.ctx.as().get(`/fhir/R4/Encounter/${res.body.id}`).expect(200);
    expect(read.body).toEqual({
      ...body,
      id: res.body.id,
      meta: expect.objectContaining({ versionId: '1' }),
    });
    expect(await entriesFor({ resourceId: res.body.id })).toEqual([
      expect.objectContaining({ action: 'create', resourceType: 'Encounter', patientId, outcome: 201 }),
      expect.objectContaining({ action: 'read', resourceType: 'Encounter', patientId, outcome: 200 }),
    ]);
    expectOutcome(await app.ctx.as().get(`/fhir/R4/Encounter/${UNKNOWN_ID}`), 404);
  });

  it('updates with If-Match: 200 and version 2; 412 when stale, 428 without, 409 for another patient', async () => {
    const patientId = await newPatient();
    const created = await create(encounter(patientId));
    const finished = { ...created, status: 'finished' };
    const res = await put(created.id, finished, 'W/"1"').expect(200);
    expect(res.body).toMatchObject({ status: 'finished', meta: { versionId: '2' } });
    expectOutcome(await put(created.id, finished, 'W/"1"'), 412);
    expectOutcome(await put(created.id, finished), 428);
    const moved = { ...finished, subject: { reference: `Patient/${await newPatient()}` } };
    expectOutcome(await put(created.id, moved, 'W/"2"'), 409, 'Encounter.subject');
    expect((await app.ctx.as().get(`/fhir/R4/Encounter/${created.id}`).expect(200)).body.status).toBe(
      'finished',
    );
  });

  it.each([
    ['an unknown status', { status: 'happening' }, 422, 'Encounter.status'],
    ['a class without a system', { class: { code: 'AMB' } }, 422, 'Encounter.class'],
    ['no subject', { subject: undefined }, 422, 'Encounter.subject'],
    [
      'a period ending before it starts',
      { period: { start: '2026-03-02', end: '2026-03-01' } },
      422,
      'Encounter.period',
    ],
    ['an unknown element', { colour: 'red' }, 422, 'Encounter.colour'],
  ])('refuses %s with an OperationOutcome and stores nothing', async (_story, change, status, expression) => {
    const before = await app.db.collection('encounters').countDocuments();
    expectOutcome(await post(encounter(await newPatient(), change)), status, expression);
    expect(await app.db.collection('encounters').countDocuments()).toBe(before);
  });

  it('refuses an encounter of an unknown patient (422) and a duplicate identifier (409)', async () => {
    expectOutcome(await post(encounter(UNKNOWN_ID)), 422, 'Encounter.subject');
    const first = await create(encounter(await newPatient()));
    expectOutcome(await post(encounter(await newPatient(), { identifier: first.identifier })), 409);
  });

  it('searches by identifier, patient/subject, status, class and date over the period', async () => {
    const patientId = await newPatient();
    const morning = await create(encounter(patientId));
    const stay = await create(
      encounter(patientId, {
        status: 'finished',
        class: INPATIENT,
        period: { start: '2026-03-02T08:00:00Z', end: '2026-03-05T12:00:00Z' },
      }),
    );
    const other = await create(encounter(await newPatient()));
    const found = async (query: string) => entryIds((await search(query).expect(200)).body);
    const [system, value] = [morning.identifier[0].system, morning.identifier[0].value];

    expect(await found(`identifier=${system}|${value}`)).toEqual([morning.id]);
    expect(await found(`patient=${patientId}`)).toEqual([morning.id, stay.id].sort());
    expect(await found(`subject=Patient/${patientId}&status=finished`)).toEqual([stay.id]);
    expect(await found(`patient=${patientId}&class=${INPATIENT.system}|IMP`)).toEqual([stay.id]);
    expect(await found(`patient=${patientId}&class=AMB`)).toEqual([morning.id]);
    expect(await found(`patient=${patientId}&date=2026-03-03`)).toEqual([]);
    expect(await found(`patient=${patientId}&date=ge2026-03-03&date=le2026-03-04`)).toEqual([stay.id]);
    expect(await found(`patient=${patientId}&date=2026-03-01`)).toEqual([morning.id]);
    expect(await found(`identifier=${other.identifier[0].value}`)).toEqual([other.id]);
    expectOutcome(await search('status=happening'), 400);
    expectOutcome(await search('colour=red'), 400);
  });

  it('a patient-context token sees its own encounters only; 403 without an Encounter scope', async () => {
    const patientId = await newPatient();
    const own = await create(encounter(patientId));
    const others = await create(encounter(await newPatient()));
    const confined = { patientId, roles: [Role.Patient], scopes: ['patient/Encounter.rs'] };
    await app.ctx.as(confined).get(`/fhir/R4/Encounter/${own.id}`).expect(200);
    expectOutcome(await app.ctx.as(confined).get(`/fhir/R4/Encounter/${others.id}`), 404);
    expect(entryIds((await search('', confined).expect(200)).body)).toEqual([own.id]);
    expectOutcome(await app.ctx.as({ scopes: ['user/Patient.rs'] }).get(`/fhir/R4/Encounter/${own.id}`), 403);
    expectOutcome(await post(encounter(patientId), { scopes: ['user/Encounter.rs'] }), 403);
  });

  it('is in the CapabilityStatement with its interactions and search parameters', async () => {
    const statement = (await app.ctx.as().get('/fhir/R4/metadata').expect(200)).body;
    const resource = statement.rest[0].resource.find((r: Resource) => r.type === 'Encounter');
    expect(resource.interaction.map((i: Resource) => i.code).sort()).toEqual(
      ['create', 'read', 'search-type', 'update'].sort(),
    );
    expect(resource.searchParam.map((p: Resource) => p.name).sort()).toEqual(
      ['class', 'date', 'identifier', 'patient', 'status', 'subject'].sort(),
    );
  });
});
