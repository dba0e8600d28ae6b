import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionRecoveryService } from '@hdp/fhir';
import { AppProcess, freePort } from './support/app-process';
import { FHIR_JSON } from './support/fhir-fixtures';
import { fhirPatient, heartRate, Resource } from './support/fhir-writes';
import { AuditedTestApp, replicaEnv, startAuditedApp, testSigningKeys } from './support/patients-fixtures';
import { DEFAULT_PRINCIPAL } from './support/test-app';

const DELETED = 10;
const CREATED = 10;
const UPDATED = 100;

/**
 * A transaction whose process is killed (SIGKILL) while it applies its entries, and the recovery another
 * process runs over its journal: every resource it wrote is back to its version before it.
 */
describe('FHIR transaction when its process dies mid-way', () => {
  const signingKeys = testSigningKeys();
  let api: AuditedTestApp;
  let doomed: AppProcess;
  let doomedUrl: string;

  beforeAll(async () => {
    api = await startAuditedApp({ AUDIT_SIGNING_KEY: signingKeys });
    const port = await freePort();
    doomedUrl = `http://127.0.0.1:${port}`;
    doomed = new AppProcess({ ...replicaEnv(api, signingKeys, port), RATE_LIMIT_CALLS: '100000' });
    // ts-node compiles the whole app at start: slow when other suites share the cores.
    await doomed.start(doomedUrl, 150_000);
  }, 180_000);

  afterAll(async () => {
    await doomed.kill();
    await api.close();
  });

  const transaction = (entry: object[]) => ({ resourceType: 'Bundle', type: 'transaction', entry });

  /** A patient and its results, created by one transaction through the surviving app. */
  async function seed(): Promise<{ patient: Resource; results: Resource[] }> {
    const patientUrl = `urn:uuid:${randomUUID()}`;
    const entries = [
      {
        fullUrl: patientUrl,
        resource: fhirPatient('Bracegirdle'),
        request: { method: 'POST', url: 'Patient' },
      },
      ...Array.from({ length: DELETED + UPDATED }, (_, reading) => ({
        resource: { ...heartRate('x', 50 + (reading % 50)), subject: { reference: patientUrl } },
        request: { method: 'POST', url: 'Observation' },
      })),
    ];
    const res = await api.ctx
      .as()
      .post('/fhir/R4')
      .set('content-type', FHIR_JSON)
      .send(JSON.stringify(transaction(entries)))
      .expect(200);
    const [patient, ...results] = (res.body.entry as Resource[]).map((entry) => entry.resource as Resource);
    return { patient, results };
  }

  it('is set back by recovery: deleted results live again, created ones are gone, updated ones and the patient as before', async () => {
    const { patient, results } = await seed();
    const [deleted, updated] = [results.slice(0, DELETED), results.slice(DELETED)];
    const entries = [
      ...deleted.map(({ id }) => ({ request: { method: 'DELETE', url: `Observation/${id}` } })),
      ...Array.from({ length: CREATED }, () => ({
        resource: heartRate(patient.id, 120),
        request: { method: 'POST', url: 'Observation' },
      })),
      {
        resource: { ...patient, name: [{ family: 'Chubb' }] },
        request: { method: 'PUT', url: `Patient/${patient.id}`, ifMatch: 'W/"1"' },
      },
      ...updated.map((result) => ({
        resource: { ...result, status: 'amended' },
        request: { method: 'PUT', url: `Observation/${result.id}`, ifMatch: 'W/"1"' },
      })),
    ];
    const token = await api.ctx.issuer.tokenFor(DEFAULT_PRINCIPAL);
    const posted = fetch(`${doomedUrl}/fhir/R4`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': FHIR_JSON },
      body: JSON.stringify(transaction(entries)),
    }).catch(() => undefined);

    // Killed in the PUT phase: the deletions, the creates and the patient's update are written by then.
    const amended = () => api.db.collection('test_results').countDocuments({ status: 'amended' });
    for (let waited = 0; (await amended()) < 3; waited += 20) {
      if (waited > 60_000) throw new Error('the transaction never reached its updates');
      await sleep(20);
    }
    await doomed.kill();
    await posted;
    const journal = await api.db
      .collection('fhir_transactions')
      .findOne({ 'resources.id': patient.id, status: 'applying' });
    expect(journal).not.toBeNull();
    expect(await amended()).toBeLessThan(UPDATED);
    const read = (path: string) => api.ctx.as().get(`/fhir/R4/${path}`);
    expect((await read(`Patient/${patient.id}`).expect(200)).body.name[0].family).toBe('Chubb');

    // What another process's start-up sweep does, run here without waiting for the journal to age.
    expect(await api.ctx.app.get(TransactionRecoveryService).recover(0)).toBe(1);
    const restored = (await read(`Patient/${patient.id}`).expect(200)).body as Resource;
    expect(restored).toMatchObject({ meta: { versionId: '3' }, name: [{ family: 'Bracegirdle' }] });
    const live = await api.db
      .collection('test_results')
      .find({ patientId: patient.id, deleted: false })
      .project({ _id: 1, status: 1 })
      .toArray();
    expect(live.map(({ _id }) => _id as unknown as string).sort()).toEqual(
      results.map(({ id }) => id as string).sort(),
    );
    expect(live.every(({ status }) => status === 'final')).toBe(true);
    const closed = await api.db.collection('fhir_transactions').findOne({ _id: journal!._id });
    expect(closed?.status).toBe('rolled-back');
  }, 120_000);
});
