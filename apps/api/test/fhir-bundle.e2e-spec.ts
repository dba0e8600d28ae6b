import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { ObservationResourceService, TransactionRecoveryService } from '@hdp/fhir';
import { expectOutcome, FHIR_JSON } from './support/fhir-fixtures';
import { fhirPatient, fhirWrites, heartRate, Resource } from './support/fhir-writes';
import { useAuditedApp } from './support/patients-fixtures';

/** A transaction or batch Bundle creating `resources`, each under a `urn:uuid` fullUrl. */
function bundle(type: 'batch' | 'transaction', resources: { fullUrl: string; resource: Resource }[]) {
  return {
    resourceType: 'Bundle',
    type,
    entry: resources.map(({ fullUrl, resource }) => ({
      fullUrl,
      resource,
      request: { method: 'POST', url: resource.resourceType as string },
    })),
  };
}

const urn = () => `urn:uuid:${randomUUID()}`;

describe('FHIR R4 batch and transaction Bundles', () => {
  const app = useAuditedApp();
  const { create } = fhirWrites(app);

  const post = (body: unknown, principal?: Parameters<typeof app.ctx.as>[0]) =>
    app.ctx.as(principal).post('/fhir/R4').set('content-type', FHIR_JSON).send(JSON.stringify(body));
  const live = (collection: string, ids: string[]) =>
    app.db.collection<{ _id: string }>(collection).countDocuments({ _id: { $in: ids }, deleted: false });

  /** A patient and two results about it, the results referring to the patient by its `urn:uuid`. */
  function patientWithResults(family: string) {
    const patient = urn();
    return [
      { fullUrl: urn(), resource: { ...heartRate('x', 61), subject: { reference: patient } } },
      { fullUrl: patient, resource: fhirPatient(family) },
      { fullUrl: urn(), resource: { ...heartRate('x', 62), subject: { reference: patient } } },
    ];
  }

  describe('transaction', () => {
    it('creates every entry, resolving urn:uuid references, and answers a transaction-response in entry order', async () => {
      const res = await post(bundle('transaction', patientWithResults('Took'))).expect(200);
      expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'transaction-response' });
      const entries: Resource[] = res.body.entry;
      expect(entries.map((entry) => entry.resource.resourceType as string)).toEqual([
        'Observation',
        'Patient',
        'Observation',
      ]);
      const patientId = entries[1].resource.id as string;
      expect(entries[0].resource.subject).toEqual({ reference: `Patient/${patientId}` });
      expect(entries[1].response).toMatchObject({
        status: '201 Created',
        location: `Patient/${patientId}/_history/1`,
        etag: 'W/"1"',
      });
      const read = await app.ctx.as().get(`/fhir/R4/Observation/${entries[2].resource.id}`).expect(200);
      expect(read.body.subject.reference).toBe(`Patient/${patientId}`);
      const journal = await app.db.collection('fhir_transactions').findOne({ 'resources.id': patientId });
      expect(journal?.status).toBe('committed');
    });

    it('is all or nothing: an entry failing in the middle leaves none of the others live, and says which failed', async () => {
      const taken = fhirPatient('Taken');
      await create(taken);
      const entries = [
        ...patientWithResults('Gamgee'),
        // The middle entry fails only when applied: its NHS number is held by another patient (409).
        { fullUrl: urn(), resource: { ...fhirPatient('Cotton'), identifier: taken.identifier } },
        { fullUrl: urn(), resource: fhirPatient('Brandybuck') },
      ];
      const res = await post(bundle('transaction', entries));
      expectOutcome(res, 409, 'Bundle.entry[3]');
      const journal = await app.db.collection('fhir_transactions').find({ status: 'rolled-back' }).toArray();
      const ids = journal.flatMap((doc) => (doc.resources as { id: string }[]).map(({ id }) => id));
      expect(ids.length).toBeGreaterThanOrEqual(5);
      expect(await live('patients', ids)).toBe(0);
      expect(await live('test_results', ids)).toBe(0);
      expect(
        await app.db.collection('patients').countDocuments({ 'name.family': 'Gamgee', deleted: false }),
      ).toBe(0);
      // Each create and its undoing are in the ledger.
      const created = await app.db
        .collection('audit_entries')
        .countDocuments({ resourceId: { $in: ids }, action: 'create', outcome: 201 });
      const deleted = await app.db
        .collection('audit_entries')
        .countDocuments({ resourceId: { $in: ids }, action: 'delete', outcome: 204 });
      expect(deleted).toBe(created);
    });

    it('validates every entry before writing anything: 422 naming each bad entry, nothing stored', async () => {
      const before = await app.db.collection('fhir_transactions').countDocuments();
      const entries = patientWithResults('Proudfoot');
      entries[0].resource.status = 'guessed';
      entries[1].resource.gender = 'hobbit';
      const res = await post(bundle('transaction', entries));
      expectOutcome(res, 422, 'Bundle.entry[0].resource.status');
      expectOutcome(res, 422, 'Bundle.entry[1].resource.gender');
      expect(await app.db.collection('patients').countDocuments({ 'name.family': 'Proudfoot' })).toBe(0);
      expect(await app.db.collection('fhir_transactions').countDocuments()).toBe(before);
    });

    it('a transaction whose process died before undoing its entries is rolled back by recovery', async () => {
      const recovery = app.ctx.app.get(TransactionRecoveryService);
      await recovery.recover(0);
      const entries = [
        ...patientWithResults('Sackville'),
        // Fails when applied, after the patient and both results are created: its subject does not exist.
        { fullUrl: urn(), resource: heartRate('4b1e7a52-0000-4000-8000-000000000000') },
      ];
      // The entry fails, and the process dies as it starts undoing the others.
      const observations = app.ctx.app.get(ObservationResourceService);
      jest.spyOn(observations, 'delete').mockRejectedValueOnce(new Error('process killed'));
      await post(bundle('transaction', entries)).expect(500);
      const journal = await app.db.collection('fhir_transactions').findOne({ status: 'applying' });
      const ids = (journal?.resources as { id: string }[]).map(({ id }) => id);
      expect(await live('patients', ids)).toBe(1);
      expect(await live('test_results', ids)).toBe(2);

      expect(await recovery.recover(0)).toBe(1);
      expect(await live('patients', ids)).toBe(0);
      expect(await live('test_results', ids)).toBe(0);
      const closed = await app.db
        .collection<{ _id: string; status: string }>('fhir_transactions')
        .findOne({ _id: journal!._id as unknown as string });
      expect(closed?.status).toBe('rolled-back');
      expect(await recovery.recover(0)).toBe(0);
    });
  });

  describe('batch', () => {
    it('runs entries independently: a failing one has its outcome, the others are created', async () => {
      const subject = await create(fhirPatient());
      const entries = [
        { fullUrl: urn(), resource: heartRate(subject.id, 70) },
        { fullUrl: urn(), resource: { ...heartRate(subject.id), status: 'guessed' } },
        { fullUrl: urn(), resource: heartRate('4b1e7a52-0000-4000-8000-000000000000') },
        { fullUrl: urn(), resource: fhirPatient() },
      ];
      const res = await post(bundle('batch', entries)).expect(200);
      expect(res.body.type).toBe('batch-response');
      const responses: Resource[] = res.body.entry;
      expect(responses.map((entry) => entry.response.status as string)).toEqual([
        '201 Created',
        '422',
        '422',
        '201 Created',
      ]);
      expect(responses[1].response.outcome.issue[0].expression).toEqual(['Observation.status']);
      expect(responses[2].response.outcome.issue[0].expression).toEqual(['Observation.subject']);
      await app.ctx.as().get(`/fhir/R4/Observation/${responses[0].resource.id}`).expect(200);
    });
  });

  describe('what a Bundle may hold, and who may post one', () => {
    it('refuses other entry methods and types, other Bundle types and a non-Bundle with 400, naming what is wrong', async () => {
      const subject = await create(fhirPatient());
      const patch = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [{ resource: heartRate(subject.id), request: { method: 'PATCH', url: 'Observation/1' } }],
      };
      expectOutcome(await post(patch), 400, 'Bundle.entry[0].request');
      const encounter = {
        ...patch,
        entry: [
          { request: { method: 'GET', url: 'Encounter/1' } },
          { request: { method: 'PUT', url: 'Patient' } },
        ],
      };
      const res = await post(encounter);
      expectOutcome(res, 400, 'Bundle.entry[0].request');
      expectOutcome(res, 400, 'Bundle.entry[1].request');
      expectOutcome(await post({ ...patch, type: 'collection' }), 400, 'Bundle.type');
      expectOutcome(await post(fhirPatient()), 400, 'Bundle.resourceType');
    });

    it('an unauthenticated post is 401 and in the ledger as a Bundle create', async () => {
      await request(app.ctx.http).post('/fhir/R4').set('content-type', FHIR_JSON).send('{}').expect(401);
      // The safety-net entry of a request refused before the service is written after the response.
      const denials = () =>
        app.db.collection('audit_entries').find({ resourceType: 'Bundle', outcome: 401 }).toArray();
      for (let wait = 0; wait < 50 && (await denials()).length === 0; wait++) await sleep(20);
      expect(await denials()).toEqual([expect.objectContaining({ action: 'create' })]);
    });

    it('is listed in the CapabilityStatement as batch and transaction', async () => {
      const statement = (await app.ctx.as().get('/fhir/R4/metadata').expect(200)).body;
      expect(statement.rest[0].interaction).toEqual([{ code: 'batch' }, { code: 'transaction' }]);
    });
  });
});
