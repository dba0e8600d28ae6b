/* eslint-disable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- supertest gives untyped bodies */
import { DeviceResourceService } from '@hdp/fhir';
import { AuditLedgerService } from '@hdp/audit';
import { AuditRecoveryService, DeviceLinkedElsewhereError } from '@hdp/patients';
import { Principal, Role } from '@hdp/platform';
import { asPipeline, content, expectOutcome, fixture } from './support/fhir-fixtures';
import { entryIds, fhirResource, Resource } from './support/fhir-writes';
import { recordFinds, servedByIndex } from './support/index-probe';
import { newNhsNumber, useAuditedApp } from './support/patients-fixtures';

const SYSTEM = 'urn:example:devices';
const UNKNOWN_ID = '4b1e7a52-0000-4000-8000-000000000000';

/** A fresh identifier: one Device per identifier. */
const identifier = () => ({ system: SYSTEM, value: `monitor-${newNhsNumber()}` });

function device(patientId?: string, overrides: Resource = {}): Resource {
  return {
    resourceType: 'Device',
    identifier: [identifier()],
    status: 'active',
    manufacturer: 'Acme Monitors',
    deviceName: [{ name: 'Pulse oximeter', type: 'user-friendly-name' }],
    ...(patientId ? { patient: { reference: `Patient/${patientId}` } } : {}),
    ...overrides,
  };
}

describe('FHIR R4 Device', () => {
  const app = useAuditedApp();
  const { post, put, create, newPatient } = fhirResource(app, 'Device');
  const entriesFor = (filter: object) => app.db.collection('audit_entries').find(filter).toArray();
  const deviceCount = () => app.db.collection('devices').countDocuments();
  const confinedTo = (patientId: string) => ({
    patientId,
    roles: [Role.Patient],
    scopes: ['patient/Device.cruds'],
  });

  it('accepts the official HL7 example and reads it back equal apart from id and meta', async () => {
    const example = fixture('device-example.json');
    const created = await create(example);
    const read = await app.ctx.as().get(`/fhir/R4/Device/${created.id}`).expect(200);
    expect(content(read.body)).toEqual(content(example));
    expect(read.body.meta).toEqual({ versionId: '1', lastUpdated: expect.any(String) });
  });

  describe('create and read', () => {
    it('creates: 201, Location with _history, weak ETag, and a create entry under the linked patient', async () => {
      const patientId = await newPatient();
      const res = await post(device(patientId)).expect(201);
      expect(res.headers.location).toBe(`/fhir/R4/Device/${res.body.id}/_history/1`);
      expect(res.headers.etag).toBe('W/"1"');
      expect(res.body.patient).toEqual({ reference: `Patient/${patientId}` });
      expect(await entriesFor({ resourceId: res.body.id })).toEqual([
        expect.objectContaining({ action: 'create', resourceType: 'Device', patientId, outcome: 201 }),
      ]);
    });

    it('reads by id with its ETag and a read entry; 404 for an unknown id', async () => {
      const created = await create(device(await newPatient()));
      const res = await app.ctx.as().get(`/fhir/R4/Device/${created.id}`).expect(200);
      expect(res.body).toEqual(created);
      expect(res.headers.etag).toBe('W/"1"');
      expect(await entriesFor({ resourceId: created.id, action: 'read', outcome: 200 })).toHaveLength(1);
      expectOutcome(await app.ctx.as().get(`/fhir/R4/Device/${UNKNOWN_ID}`), 404);
      expectOutcome(await app.ctx.as().get('/fhir/R4/Device/not-an-id'), 404);
    });

    it('a patient-context token reads its own devices only: another patient’s and unlinked ones are 404', async () => {
      const patientId = await newPatient();
      const own = await create(device(patientId));
      const others = await create(device(await newPatient()));
      const unlinked = await create(device());
      await app.ctx.as(confinedTo(patientId)).get(`/fhir/R4/Device/${own.id}`).expect(200);
      expectOutcome(await app.ctx.as(confinedTo(patientId)).get(`/fhir/R4/Device/${others.id}`), 404);
      expectOutcome(await app.ctx.as(confinedTo(patientId)).get(`/fhir/R4/Device/${unlinked.id}`), 404);
    });

    it('403 without a Device scope; a read-only scope cannot write', async () => {
      const created = await create(device());
      expectOutcome(
        await app.ctx.as({ scopes: ['user/Patient.rs'] }).get(`/fhir/R4/Device/${created.id}`),
        403,
      );
      const readOnly = { scopes: ['user/Device.rs'] };
      await app.ctx.as(readOnly).get(`/fhir/R4/Device/${created.id}`).expect(200);
      expectOutcome(await post(device(), readOnly), 403);
    });
  });

  it('a create whose writer died before its ledger entry is ledgered exactly once by recovery', async () => {
    const ledger = app.ctx.app.get(AuditLedgerService);
    const recovery = app.ctx.app.get(AuditRecoveryService);
    await recovery.recover(0);
    const body = device(await newPatient());
    jest.spyOn(ledger, 'append').mockRejectedValueOnce(new Error('process killed'));
    expectOutcome(await post(body), 500);
    const devices = app.db.collection<{ _id: string; auditOutbox: unknown[] }>('devices');
    const stored = await devices.findOne({ 'device.identifier.value': body.identifier[0].value });
    expect(stored?.auditOutbox).toHaveLength(1);
    expect(await entriesFor({ resourceId: stored?._id })).toHaveLength(0);

    expect(await recovery.recover(0)).toBe(1);
    expect(await entriesFor({ resourceId: stored?._id, action: 'create', outcome: 201 })).toHaveLength(1);
    expect((await devices.findOne({ _id: stored?._id }))?.auditOutbox).toEqual([]);
    expect(await recovery.recover(0)).toBe(0);
  });

  describe('refuses bad input with a 4xx OperationOutcome and stores nothing', () => {
    it.each([
      ['an unknown patient', () => device(UNKNOWN_ID), 422, 'Device.patient'],
      [
        'a patient that is not a Patient reference',
        () => device(undefined, { patient: { reference: 'Group/1' } }),
        422,
        'Device.patient',
      ],
      ['an unknown element', () => device(undefined, { colour: 'red' }), 422, 'Device.colour'],
      ['an unknown status', () => device(undefined, { status: 'broken' }), 422, 'Device.status'],
      [
        'an identifier without a system',
        () => device(undefined, { identifier: [{ value: 'x' }] }),
        422,
        'Device.identifier[0]',
      ],
      ['another resource type', () => ({ ...device(), resourceType: 'Patient' }), 422, 'Device.resourceType'],
      ['a body that is not an object', () => [device()], 422, 'Device'],
    ])('%s', async (_story, body, status, expression) => {
      const before = await deviceCount();
      expectOutcome(await post(body()), status, expression);
      expect(await deviceCount()).toBe(before);
    });

    it('415 for a body that is not JSON', async () => {
      const res = await app.ctx.as().post('/fhir/R4/Device').set('content-type', 'text/plain').send('Device');
      expectOutcome(res, 415);
    });

    it('409 for a second Device with the same first identifier', async () => {
      const first = await create(device());
      const before = await deviceCount();
      expectOutcome(await post(device(undefined, { identifier: first.identifier })), 409);
      expect(await deviceCount()).toBe(before);
    });

    it('a patient confined to their compartment cannot link a device to another patient (422 patient)', async () => {
      const res = await post(device(await newPatient()), confinedTo(UNKNOWN_ID));
      expectOutcome(res, 422, 'Device.patient');
    });
  });

  describe('update', () => {
    it('replaces with If-Match (428 without, 412 when stale) and ledgers the update', async () => {
      const patientId = await newPatient();
      const created = await create(device(patientId));
      const changed = {
        ...device(patientId, { identifier: created.identifier, status: 'inactive' }),
        id: created.id,
      };
      expectOutcome(await put(created.id, changed), 428);
      expectOutcome(await put(created.id, changed, 'W/"7"'), 412);
      const res = await put(created.id, changed, 'W/"1"').expect(200);
      expect(res.headers.etag).toBe('W/"2"');
      expect(res.body).toMatchObject({ status: 'inactive', meta: { versionId: '2' } });
      expectOutcome(await put(created.id, { ...changed, id: UNKNOWN_ID }, 'W/"2"'), 422, 'Device.id');
      expect(
        await entriesFor({ resourceId: created.id, action: 'update', outcome: 200, patientId }),
      ).toHaveLength(1);
    });

    it('links an unlinked device to a patient', async () => {
      const created = await create(device());
      const patientId = await newPatient();
      const res = await put(
        created.id,
        { ...created, patient: { reference: `Patient/${patientId}` } },
        'W/"1"',
      );
      expect(res.status).toBe(200);
      expect(res.body.patient).toEqual({ reference: `Patient/${patientId}` });
    });

    it('never re-links a linked device to another patient, nor unlinks it: 409 on Device.patient, unchanged', async () => {
      const patientId = await newPatient();
      const created = await create(device(patientId));
      const relinked = { ...created, patient: { reference: `Patient/${await newPatient()}` } };
      expectOutcome(await put(created.id, relinked, 'W/"1"'), 409, 'Device.patient');
      const unlinked = { ...created, patient: undefined };
      expectOutcome(await put(created.id, unlinked, 'W/"1"'), 409, 'Device.patient');
      const read = await app.ctx.as().get(`/fhir/R4/Device/${created.id}`).expect(200);
      expect(read.body).toEqual(created);
    });

    it('422 when the new patient does not exist; 409 when the new identifier is taken', async () => {
      const created = await create(device());
      const other = await create(device());
      expectOutcome(
        await put(created.id, device(UNKNOWN_ID, { id: created.id }), 'W/"1"'),
        422,
        'Device.patient',
      );
      expectOutcome(await put(created.id, { ...created, identifier: other.identifier }, 'W/"1"'), 409);
      expect((await app.ctx.as().get(`/fhir/R4/Device/${created.id}`).expect(200)).body).toEqual(created);
    });
  });

  describe('search', () => {
    let patientId: string;
    let first: Resource;
    let second: Resource;
    let elsewhere: Resource;

    beforeAll(async () => {
      patientId = await newPatient();
      first = await create(device(patientId));
      second = await create(
        device(patientId, { identifier: [identifier(), { system: 'urn:other', value: 'shared-7' }] }),
      );
      elsewhere = await create(device(await newPatient()));
    });

    const search = async (query: string, as?: Partial<Principal>) =>
      (await app.ctx.as(as).get(`/fhir/R4/Device?${query}`).expect(200)).body;

    it('by identifier: system|value, value in any system, and alternatives', async () => {
      const [{ system, value }] = first.identifier;
      expect(entryIds(await search(`identifier=${encodeURIComponent(`${system}|${value}`)}`))).toEqual([
        first.id,
      ]);
      expect(entryIds(await search(`identifier=${encodeURIComponent(`urn:nowhere|${value}`)}`))).toEqual([]);
      expect(entryIds(await search(`identifier=${encodeURIComponent(value)}`))).toEqual([first.id]);
      expect(entryIds(await search('identifier=shared-7'))).toEqual([second.id]);
      const both = `${encodeURIComponent(`${system}|${value}`)},shared-7`;
      expect(entryIds(await search(`identifier=${both}`))).toEqual([first.id, second.id].sort());
    });

    it('by patient, as an id or a reference, with a search entry under the patient', async () => {
      expect(entryIds(await search(`patient=${patientId}`))).toEqual([first.id, second.id].sort());
      expect(entryIds(await search(`patient=Patient/${patientId}`))).toEqual([first.id, second.id].sort());
      expect(
        await entriesFor({ action: 'search', resourceType: 'Device', patientId, count: 2 }),
      ).not.toHaveLength(0);
    });

    it('a patient-context token finds only its own devices', async () => {
      expect(entryIds(await search('_count=100', confinedTo(patientId)))).toEqual(
        [first.id, second.id].sort(),
      );
      expect(
        entryIds(await search(`patient=${elsewhere.patient.reference.slice(8)}`, confinedTo(patientId))),
      ).toEqual([]);
    });

    it('pages with _count and a next link carrying a cursor', async () => {
      const page = await search(`patient=${patientId}&_count=1`);
      expect(page.entry).toHaveLength(1);
      const next = page.link.find((link: Resource) => link.relation === 'next').url as string;
      expect(next).toContain('_cursor=');
      const rest = (
        await app.ctx
          .as()
          .get(next.slice(next.indexOf('/fhir/')))
          .expect(200)
      ).body;
      expect([...entryIds(page), ...entryIds(rest)].sort()).toEqual([first.id, second.id].sort());
      expect(rest.link.map((link: Resource) => link.relation)).toEqual(['self']);
    });

    it.each([
      ['an unknown parameter', 'colour=red', 'colour'],
      ['a modifier', 'identifier:text=x', 'identifier:text'],
      ['an empty system', 'identifier=%7Cx', 'identifier'],
      ['a patient that is not an id', 'patient=Group/1', 'patient'],
      ['a count over the limit', '_count=1000', '_count'],
      ['a cursor that is not one', '_cursor=zz', 'cursor'],
    ])('400 for %s', async (_story, query, param) => {
      expectOutcome(await app.ctx.as().get(`/fhir/R4/Device?${query}`), 400, param);
    });

    describe('each search parameter is served by a declared index', () => {
      const finds = recordFinds('devices');

      it.each([
        ['identifier', 'identifier=shared-7', 'identifierKeys'],
        ['patient', `patient=${UNKNOWN_ID}`, 'patientId'],
      ])('%s', async (_param, query, field) => {
        await app.ctx.as().get(`/fhir/R4/Device?${query}`).expect(200);
        expect(finds).toHaveLength(1);
        const served = await servedByIndex(
          app.db.collection('devices'),
          finds[0],
          { _id: 1 },
          (keys) => keys[0] === field,
        );
        expect(served).toBe(true);
      });
    });
  });

  describe('the device pipeline’s identity resolution, in process', () => {
    const service = () => app.ctx.app.get(DeviceResourceService);

    it('Lookup finds nothing, Create links a new Device, Lookup then gives its patient', async () => {
      const patientId = await newPatient();
      const { system, value } = identifier();
      await expect(
        asPipeline(app.ctx.app, () => service().findByIdentifier(system, value)),
      ).resolves.toBeUndefined();
      const created = await asPipeline(app.ctx.app, () =>
        service().createLinked({ system, value }, patientId),
      );
      expect(created).toMatchObject({
        identifier: [{ system, value }],
        patient: { reference: `Patient/${patientId}` },
      });
      const found = await asPipeline(app.ctx.app, () => service().findByIdentifier(system, value));
      expect(found).toEqual(created);
      const again = await asPipeline(app.ctx.app, () => service().createLinked({ system, value }, patientId));
      expect(again).toEqual(created);
      expect(await entriesFor({ resourceId: created.id, action: 'create', outcome: 201 })).toHaveLength(1);
    });

    it('Create links an existing unlinked device; one linked to another patient is refused, never re-linked', async () => {
      const unlinked = await create(device());
      const [id] = unlinked.identifier;
      const patientId = await newPatient();
      const linked = await asPipeline(app.ctx.app, () => service().createLinked(id, patientId));
      expect(linked).toMatchObject({ id: unlinked.id, patient: { reference: `Patient/${patientId}` } });
      await expect(
        asPipeline(app.ctx.app, () => service().createLinked(id, UNKNOWN_ID)),
      ).rejects.toBeInstanceOf(DeviceLinkedElsewhereError);
      const read = await app.ctx.as().get(`/fhir/R4/Device/${unlinked.id}`).expect(200);
      expect(read.body.patient).toEqual({ reference: `Patient/${patientId}` });
    });

    it('ten parallel creates with one identifier yield exactly one Device', async () => {
      const patientId = await newPatient();
      const id = identifier();
      const devices = await Promise.all(
        Array.from({ length: 10 }, () =>
          asPipeline(app.ctx.app, () => service().createLinked(id, patientId)),
        ),
      );
      expect(new Set(devices.map((created) => created.id)).size).toBe(1);
      expect(await app.db.collection('devices').countDocuments({ patientId })).toBe(1);
    });
  });

  it('the CapabilityStatement lists the Device interactions and search parameters', async () => {
    const statement = (await app.ctx.as().get('/fhir/R4/metadata').expect(200)).body;
    const resource = statement.rest[0].resource.find((entry: Resource) => entry.type === 'Device');
    expect(resource.interaction.map((entry: Resource) => entry.code).sort()).toEqual([
      'create',
      'read',
      'search-type',
      'update',
    ]);
    expect(resource.searchParam.map((param: Resource) => param.name).sort()).toEqual([
      'identifier',
      'patient',
    ]);
  });
});
