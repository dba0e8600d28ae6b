import { randomUUID } from 'node:crypto';
import { TransactionRecoveryService, TransactionRollback } from '@hdp/fhir';
import { Role } from '@hdp/platform';
import { expectOutcome, FHIR_JSON } from './support/fhir-fixtures';
import { fhirPatient, fhirWrites, heartRate, Resource } from './support/fhir-writes';
import { NHS, useAuditedApp } from './support/patients-fixtures';

type Principal = Parameters<ReturnType<typeof useAuditedApp>['ctx']['as']>[0];
type EntryRequest = { method: string; url: string; ifMatch?: string; ifNoneExist?: string };

const urn = () => `urn:uuid:${randomUUID()}`;
const LAB = 'https://lab.example.org/results';

describe('FHIR R4 Bundles: updates, deletes, conditional and read entries, per-entry scopes', () => {
  const app = useAuditedApp();
  const { create } = fhirWrites(app);

  const post = (body: unknown, principal?: Principal) =>
    app.ctx.as(principal).post('/fhir/R4').set('content-type', FHIR_JSON).send(JSON.stringify(body));
  const bundle = (
    type: 'batch' | 'transaction',
    entry: { request: EntryRequest; resource?: Resource; fullUrl?: string }[],
  ) => ({
    resourceType: 'Bundle',
    type,
    entry,
  });
  const read = (path: string) => app.ctx.as().get(`/fhir/R4/${path}`);
  const ledger = (resourceId: string) =>
    app.db
      .collection('audit_entries')
      .find({ resourceId })
      .sort({ at: 1 })
      .toArray()
      .then((entries) => entries.map(({ action, outcome }) => `${action} ${outcome}`));
  const labResult = (subject: string, value: string, reading = 70) => ({
    ...heartRate(subject, reading),
    identifier: [{ system: LAB, value }],
  });

  describe('batch', () => {
    it('updates, deletes, reads, searches and creates conditionally, each answered as its single interaction', async () => {
      const patient = await create(fhirPatient('Baggins'));
      const result = await create(heartRate(patient.id, 60));
      const doomed = await create(heartRate(patient.id, 61));
      const nhs = patient.identifier[0].value as string;
      const labId = randomUUID();
      const res = await post(
        bundle('batch', [
          {
            request: { method: 'PUT', url: `Patient/${patient.id}`, ifMatch: 'W/"1"' },
            resource: { ...patient, name: [{ family: 'Bolger', given: ['Fredegar'] }] },
          },
          { request: { method: 'DELETE', url: `Observation/${doomed.id}` } },
          { request: { method: 'GET', url: `Observation/${result.id}` } },
          { request: { method: 'GET', url: `Observation?subject=Patient/${patient.id}&_count=5` } },
          {
            request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${NHS}|${nhs}` },
            resource: { ...fhirPatient('Ignored'), identifier: patient.identifier },
          },
          {
            request: { method: 'PUT', url: `Observation?identifier=${LAB}|${labId}` },
            resource: labResult(patient.id, labId, 90),
          },
          { request: { method: 'PUT', url: `Observation/${result.id}`, ifMatch: 'W/"7"' }, resource: result },
          { request: { method: 'GET', url: `Observation/${doomed.id}` } },
        ]),
      ).expect(200);
      const [updated, deleted, readOne, search, existing, upserted, stale, gone] = res.body
        .entry as Resource[];
      expect(updated.response).toMatchObject({ status: '200 OK', etag: 'W/"2"' });
      expect(updated.response.lastModified).toBe(updated.resource.meta.lastUpdated);
      expect(updated.resource.name[0].family).toBe('Bolger');
      expect(deleted.response).toEqual({ status: '204 No Content' });
      expect(readOne).toMatchObject({
        response: { status: '200 OK', etag: 'W/"1"' },
        resource: { id: result.id },
      });
      expect(search.resource).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
      expect(search.resource.entry).toHaveLength(1);
      expect(existing).toMatchObject({ response: { status: '200 OK' }, resource: { id: patient.id } });
      expect(upserted.response).toMatchObject({
        status: '201 Created',
        location: `Observation/${upserted.resource.id}/_history/1`,
      });
      expect(stale.response.status).toBe('412');
      expect(stale.response.outcome.resourceType).toBe('OperationOutcome');
      expect(gone.response.status).toBe('410');
      expect(await ledger(doomed.id)).toEqual(['create 201', 'delete 204', 'read 410']);
      expect((await read(`Patient/${patient.id}`).expect(200)).body.name[0].family).toBe('Bolger');
    });

    it('checks each entry against the SMART scopes: an entry without its scope fails alone with 403, in the ledger', async () => {
      const patient = await create(fhirPatient());
      const narrow = { roles: [Role.Clinician], scopes: ['user/Observation.crs'] };
      const res = await post(
        bundle('batch', [
          { request: { method: 'POST', url: 'Observation' }, resource: heartRate(patient.id, 80) },
          { request: { method: 'GET', url: `Patient/${patient.id}` } },
          { request: { method: 'DELETE', url: `Patient/${patient.id}` } },
        ]),
        narrow,
      ).expect(200);
      const statuses = (res.body.entry as Resource[]).map((entry) => entry.response.status as string);
      expect(statuses).toEqual(['201 Created', '403', '403']);
      expect(res.body.entry[1].response.outcome.issue[0].code).toBe('forbidden');
      await read(`Patient/${patient.id}`).expect(200);
      expect(await ledger(patient.id)).toEqual(expect.arrayContaining(['read 403', 'delete 403']));
    });

    it('keeps a patient-context token inside its compartment: another patient is 404, its own is read', async () => {
      const own = await create(fhirPatient());
      const other = await create(fhirPatient());
      const patientToken = { roles: [Role.Patient], scopes: ['patient/*.rs'], patientId: own.id };
      const res = await post(
        bundle('batch', [
          { request: { method: 'GET', url: `Patient/${own.id}` } },
          { request: { method: 'GET', url: `Patient/${other.id}` } },
          { request: { method: 'POST', url: 'Patient' }, resource: fhirPatient() },
        ]),
        patientToken,
      ).expect(200);
      const statuses = (res.body.entry as Resource[]).map((entry) => entry.response.status as string);
      expect(statuses).toEqual(['200 OK', '404', '403']);
    });
  });

  describe('transaction', () => {
    it('runs DELETE before POST: an identifier freed by a deletion is taken by a create in the same transaction', async () => {
      const patient = await create(fhirPatient());
      const identifier = randomUUID();
      const old = await create(labResult(patient.id, identifier));
      const res = await post(
        bundle('transaction', [
          {
            request: { method: 'POST', url: 'Observation' },
            resource: labResult(patient.id, identifier, 99),
          },
          { request: { method: 'DELETE', url: `Observation/${old.id}` } },
          {
            request: { method: 'PUT', url: `Patient?identifier=${NHS}|${patient.identifier[0].value}` },
            resource: { ...fhirPatient('Renamed'), identifier: patient.identifier },
          },
        ]),
      ).expect(200);
      const [created, deleted, updated] = res.body.entry as Resource[];
      expect(created.response.status).toBe('201 Created');
      expect(deleted.response.status).toBe('204 No Content');
      expect(updated.response).toMatchObject({ status: '200 OK', etag: 'W/"2"' });
      expect(updated.resource).toMatchObject({ id: patient.id, name: [{ family: 'Renamed' }] });
      await read(`Observation/${old.id}`).expect(410);
    });

    it('fails whole with 403 naming the entry when one entry lacks its scope: nothing is written', async () => {
      const patient = await create(fhirPatient('Unchanged'));
      const narrow = { roles: [Role.Clinician], scopes: ['user/Patient.cru', 'user/Observation.r'] };
      const res = await post(
        bundle('transaction', [
          {
            request: { method: 'PUT', url: `Patient/${patient.id}`, ifMatch: 'W/"1"' },
            resource: { ...patient, name: [{ family: 'Changed' }] },
          },
          { request: { method: 'POST', url: 'Observation' }, resource: heartRate(patient.id) },
        ]),
        narrow,
      );
      expectOutcome(res, 403, 'Bundle.entry[1]');
      const now = (await read(`Patient/${patient.id}`).expect(200)).body;
      expect(now).toMatchObject({ meta: { versionId: '1' }, name: [{ family: 'Unchanged' }] });
      expect(
        await app.db.collection('audit_entries').countDocuments({ resourceType: 'TestResult', outcome: 403 }),
      ).toBe(1);
    });

    it('refuses to delete a Patient (the deletion cascades and could not be undone): 400', async () => {
      const patient = await create(fhirPatient());
      const res = await post(
        bundle('transaction', [{ request: { method: 'DELETE', url: `Patient/${patient.id}` } }]),
      );
      expectOutcome(res, 400, 'Bundle.entry[0].request');
      await read(`Patient/${patient.id}`).expect(200);
    });

    it('is all or nothing: a failing entry in the middle undoes the update, the deletion and the create before it', async () => {
      const patient = await create(fhirPatient('Brandybuck'));
      const updatedResult = await create(heartRate(patient.id, 50));
      const deletedResult = await create(heartRate(patient.id, 51));
      const staleTarget = await create(heartRate(patient.id, 52));
      const newResult = urn();
      const res = await post(
        bundle('transaction', [
          {
            request: { method: 'PUT', url: `Patient/${patient.id}`, ifMatch: 'W/"1"' },
            resource: { ...patient, name: [{ family: 'Took' }] },
          },
          {
            request: { method: 'PUT', url: `Observation/${updatedResult.id}`, ifMatch: 'W/"1"' },
            resource: { ...updatedResult, status: 'amended' },
          },
          // Fails when applied (after the DELETE, the POST and the first two PUTs): its version is stale.
          {
            request: { method: 'PUT', url: `Observation/${staleTarget.id}`, ifMatch: 'W/"9"' },
            resource: staleTarget,
          },
          { request: { method: 'DELETE', url: `Observation/${deletedResult.id}` } },
          {
            fullUrl: newResult,
            request: { method: 'POST', url: 'Observation' },
            resource: heartRate(patient.id, 53),
          },
        ]),
      );
      expectOutcome(res, 412, 'Bundle.entry[2]');
      const journal = await app.db.collection('fhir_transactions').findOne({ 'resources.id': patient.id });
      expect(journal?.status).toBe('rolled-back');
      const created = (journal?.resources as { type: string; id: string }[]).find(
        ({ id }) => ![patient.id, updatedResult.id, deletedResult.id, staleTarget.id].includes(id),
      )!;
      // The ledger shows each write and its undoing, under the caller.
      expect(await ledger(patient.id)).toEqual(['create 201', 'update 200', 'update 200']);
      expect(await ledger(updatedResult.id)).toEqual(['create 201', 'update 200', 'update 200']);
      expect(await ledger(deletedResult.id)).toEqual(['create 201', 'delete 204', 'update 200']);
      expect(await ledger(created.id)).toEqual(['create 201', 'delete 204']);
      expect(await ledger(staleTarget.id)).toEqual(['create 201', 'update 412']);

      // Reads are back to the content before the transaction; history shows the change and its undoing.
      const patientNow = (await read(`Patient/${patient.id}`).expect(200)).body;
      expect(patientNow).toMatchObject({ meta: { versionId: '3' }, name: [{ family: 'Brandybuck' }] });
      const resultNow = (await read(`Observation/${updatedResult.id}`).expect(200)).body;
      expect(resultNow).toMatchObject({ meta: { versionId: '3' }, status: 'final' });
      const revived = (await read(`Observation/${deletedResult.id}`).expect(200)).body;
      expect(revived).toMatchObject({ meta: { versionId: '3' }, valueQuantity: { value: 51 } });
      await read(`Observation/${created.id}`).expect(410);
      await read(`Observation/${staleTarget.id}`).expect(200);
      const history = (await read(`Patient/${patient.id}/_history`).expect(200)).body as Resource;
      const versions = history.entry as Resource[];
      expect(versions.map((entry) => entry.resource.name[0].family as string)).toEqual([
        'Brandybuck',
        'Took',
        'Brandybuck',
      ]);
      const search = (await read(`Observation?subject=Patient/${patient.id}`).expect(200)).body;
      expect(search.entry).toHaveLength(3);
    });

    it('a transaction whose process died before undoing its update and deletion is set back by recovery', async () => {
      const recovery = app.ctx.app.get(TransactionRecoveryService);
      await recovery.recover(0);
      const patient = await create(fhirPatient('Sackville'));
      const deletedResult = await create(heartRate(patient.id, 40));
      const staleTarget = await create(heartRate(patient.id, 41));
      const entries = bundle('transaction', [
        {
          request: { method: 'PUT', url: `Patient/${patient.id}`, ifMatch: 'W/"1"' },
          resource: { ...patient, name: [{ family: 'Baggins' }] },
        },
        { request: { method: 'DELETE', url: `Observation/${deletedResult.id}` } },
        // Fails when applied, after the update and the deletion: its version is stale.
        {
          request: { method: 'PUT', url: `Observation/${staleTarget.id}`, ifMatch: 'W/"5"' },
          resource: staleTarget,
        },
      ]);
      // The entry fails, and the process dies before undoing anything.
      jest
        .spyOn(app.ctx.app.get(TransactionRollback), 'run')
        .mockRejectedValueOnce(new Error('process killed'));
      await post(entries).expect(500);
      expect((await read(`Patient/${patient.id}`).expect(200)).body.name[0].family).toBe('Baggins');
      await read(`Observation/${deletedResult.id}`).expect(410);

      expect(await recovery.recover(0)).toBe(1);
      const restored = (await read(`Patient/${patient.id}`).expect(200)).body;
      expect(restored).toMatchObject({ meta: { versionId: '3' }, name: [{ family: 'Sackville' }] });
      await read(`Observation/${deletedResult.id}`).expect(200);
      const journal = await app.db.collection('fhir_transactions').findOne({ 'resources.id': patient.id });
      expect(journal?.status).toBe('rolled-back');
      // Recovery undoes as its own principal, and says so in the ledger.
      const undoing = await app.db
        .collection('audit_entries')
        .findOne({ resourceId: patient.id, 'actor.id': 'fhir-transaction-recovery' });
      expect(undoing).toMatchObject({ action: 'update', outcome: 200 });
    });

    it('answers an ifNoneExist entry that matches with the match, writing nothing for it', async () => {
      const patient = await create(fhirPatient());
      const nhs = patient.identifier[0].value as string;
      const res = await post(
        bundle('transaction', [
          {
            fullUrl: urn(),
            request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${NHS}|${nhs}` },
            resource: { ...fhirPatient('Other'), identifier: patient.identifier },
          },
        ]),
      ).expect(200);
      expect(res.body.entry[0]).toMatchObject({
        response: { status: '200 OK' },
        resource: { id: patient.id },
      });
      expect((await read(`Patient/${patient.id}`).expect(200)).body.meta.versionId).toBe('1');
    });
  });
});
