import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { AuditRecoveryService } from '@hdp/patients';
import { intentsCleared } from './support/intents';
import { fhirPatient, fhirWrites, heartRate, Resource } from './support/fhir-writes';
import { useAuditedApp } from './support/patients-fixtures';

describe('FHIR R4 versions: the version store arbitrates every change', () => {
  const app = useAuditedApp();
  const { send, create } = fhirWrites(app);

  const versionsOf = (collection: string, id: string) =>
    app.db.collection(collection).find({ resourceId: id }).sort({ version: 1 }).toArray();
  async function confirmed(collection: string, id: string): Promise<void> {
    const pending = () =>
      app.db.collection(collection).countDocuments({ resourceId: id, pending: { $exists: true } });
    for (let wait = 0; wait < 50 && (await pending()) > 0; wait++) await sleep(20);
    expect(await pending()).toBe(0);
    expect(
      await app.db.collection(collection).countDocuments({ resourceId: id, draft: { $exists: true } }),
    ).toBe(0);
  }
  const entriesFor = (filter: object) => app.db.collection('audit_entries').find(filter).toArray();

  describe.each([
    ['Patient', 'patients', 'patient_versions'],
    ['Observation', 'test_results', 'test_result_versions'],
  ])('%s', (type, records, versions) => {
    const newResource = async (): Promise<Resource> => {
      if (type === 'Patient') return create(fhirPatient());
      const subject = await create(fhirPatient());
      return create(heartRate(subject.id));
    };
    const changed = (resource: Resource, value: number) =>
      type === 'Patient'
        ? { ...resource, birthDate: `19${value}-01-01` }
        : { ...resource, valueQuantity: { ...resource.valueQuantity, value } };

    it('keeps every create, update and delete as an immutable version', async () => {
      const created = await newResource();
      const url = `/fhir/R4/${type}/${created.id}`;
      await send('put', url, changed(created, 50), 'W/"1"').expect(200);
      await intentsCleared(app.db, records, created.id);
      await app.ctx.as().delete(url).set('if-match', 'W/"2"').expect(204);
      const stored = await versionsOf(versions, created.id);
      expect(stored.map(({ _id, version, deleted }) => ({ _id, version, deleted }))).toEqual([
        { _id: `${created.id}:1`, version: 1, deleted: false },
        { _id: `${created.id}:2`, version: 2, deleted: false },
        { _id: `${created.id}:3`, version: 3, deleted: true },
      ]);
      expect(stored[1].state.version).toBe(2);
      // Each version is confirmed (its pending marker and audit draft dropped) once its record is written.
      await confirmed(versions, created.id);
    });

    it('lets exactly one of 10 parallel PUTs with the same If-Match through; the other nine get 412', async () => {
      const created = await newResource();
      const statuses = await Promise.all(
        Array.from(
          { length: 10 },
          async (_, i) =>
            (await send('put', `/fhir/R4/${type}/${created.id}`, changed(created, 10 + i), 'W/"1"')).status,
        ),
      );
      expect(statuses.sort()).toEqual([200, ...Array<number>(9).fill(412)]);
      const read = await app.ctx.as().get(`/fhir/R4/${type}/${created.id}`).expect(200);
      expect(read.body.meta.versionId).toBe('2');
      expect(await versionsOf(versions, created.id)).toHaveLength(2);
      expect(await entriesFor({ resourceId: created.id, action: 'update', outcome: 200 })).toHaveLength(1);
      expect(await entriesFor({ resourceId: created.id, action: 'update', outcome: 412 })).toHaveLength(9);
    });
  });

  describe('a writer that dies between claiming a version and writing the record', () => {
    it('leaves the version pending: stale writers get 412, and recovery rolls it forward with its ledger entry', async () => {
      const recovery = app.ctx.app.get(AuditRecoveryService);
      const created = await create(fhirPatient());
      const url = `/fhir/R4/Patient/${created.id}`;
      const model = app.ctx.app.get<Model<unknown>>(getModelToken('PatientDocument'));
      jest.spyOn(model, 'findOneAndUpdate').mockImplementationOnce(() => {
        throw new Error('process killed');
      });
      await send('put', url, { ...created, birthDate: '1950-05-05' }, 'W/"1"').expect(500);
      expect((await app.ctx.as().get(url).expect(200)).body.birthDate).toBe('1946-04-09');
      // Version 2 is taken: a writer still holding version 1 cannot write over it.
      await send('put', url, { ...created, birthDate: '1960-06-06' }, 'W/"1"').expect(412);

      await recovery.recover(0);
      const read = await app.ctx.as().get(url).expect(200);
      expect(read.body).toMatchObject({ birthDate: '1950-05-05', meta: { versionId: '2' } });
      expect(await entriesFor({ resourceId: created.id, action: 'update', outcome: 200 })).toHaveLength(1);
      const [version] = await app.db
        .collection<{ _id: string; resourceId: string }>('patient_versions')
        .find({ _id: `${created.id}:2` })
        .toArray();
      expect(version).not.toHaveProperty('pending');
      expect(await app.db.collection('patients').countDocuments({ _id: created.id, auditOutbox: [] })).toBe(
        1,
      );
      expect(await recovery.recover(0)).toBe(0);
    });

    it('a create that died before its record was written is created by recovery, ledgered once', async () => {
      const recovery = app.ctx.app.get(AuditRecoveryService);
      await recovery.recover(0);
      const model = app.ctx.app.get<Model<unknown>>(getModelToken('PatientDocument'));
      jest.spyOn(model.collection, 'insertMany').mockRejectedValueOnce(new Error('process killed'));
      await send('post', '/fhir/R4/Patient', fhirPatient('Phoenix')).expect(500);
      const [pending] = await app.db
        .collection<{ _id: string; resourceId: string }>('patient_versions')
        .find({ 'state.name.family': 'Phoenix' })
        .toArray();
      expect(pending).toMatchObject({ version: 1, pending: expect.any(String) });
      expect(
        await app.db.collection<{ _id: string }>('patients').countDocuments({ _id: pending.resourceId }),
      ).toBe(0);

      expect(await recovery.recover(0)).toBe(1);
      const read = await app.ctx.as().get(`/fhir/R4/Patient/${pending.resourceId}`).expect(200);
      expect(read.body).toMatchObject({ name: [{ family: 'Phoenix' }], meta: { versionId: '1' } });
      expect(
        await entriesFor({ resourceId: pending.resourceId, action: 'create', outcome: 201 }),
      ).toHaveLength(1);
    });

    it('a create the store refused (a taken identifier) leaves no version behind', async () => {
      const subject = await create(fhirPatient());
      const identifier = [{ system: 'urn:example:lab', value: `dup-${randomUUID()}` }];
      await send('post', '/fhir/R4/Observation', { ...heartRate(subject.id), identifier }).expect(201);
      await send('post', '/fhir/R4/Observation', { ...heartRate(subject.id, 99), identifier }).expect(409);
      expect(
        await app.db
          .collection('test_result_versions')
          .countDocuments({ patientId: subject.id, 'state.observation.valueQuantity.value': 99 }),
      ).toBe(0);
    });
  });
});
