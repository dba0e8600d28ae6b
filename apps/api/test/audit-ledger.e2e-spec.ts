/* eslint-disable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- supertest gives untyped bodies */
import { AuditLedgerService } from '@hdp/audit';
import { AuditRecoveryService } from '@hdp/patients';
import { Role } from '@hdp/platform';
import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';
import {
  AuditedTestApp,
  patientBody,
  resultBody,
  startAuditedApp,
  testSigningKeys,
  useAuditedApp,
} from './support/patients-fixtures';

const AUDITOR = { id: 'auditor-1', roles: [Role.Auditor] };

describe('Audit ledger', () => {
  // One chain, so that tampering with "an entry" has a predictable predecessor and successor.
  const app = useAuditedApp({ AUDIT_CHAINS: '1', AUDIT_RECOVERY_AGE_MS: '3600000' });

  const entries = () => app.db.collection('audit_entries');
  const verify = async () => (await app.ctx.as(AUDITOR).get('/api/v1/audit/verify').expect(200)).body;
  const createPatient = async () =>
    (await app.ctx.as().post('/api/v1/patients').send(patientBody()).expect(201)).body;

  /** Runs a tampering, checks what verify reports, then puts the ledger back as it was. */
  async function tamper(change: () => Promise<unknown>, undo: () => Promise<unknown>) {
    await change();
    try {
      return await verify();
    } finally {
      await undo();
    }
  }

  it('verifies a ledger nobody touched', async () => {
    const patient = await createPatient();
    await app.ctx.as().get(`/api/v1/patients/${patient.id}`).expect(200);
    const report = await verify();
    expect(report).toMatchObject({ valid: true, problems: [] });
    expect(report.entriesChecked).toBeGreaterThanOrEqual(2);
  });

  it('detects an altered entry, a deleted one, reordered ones and a forged signature', async () => {
    for (let i = 0; i < 3; i++) await createPatient();
    const [, second, third] = await entries().find({ chain: 0 }).sort({ seq: 1 }).toArray();

    const altered = await tamper(
      () => entries().updateOne({ _id: second._id }, { $set: { outcome: 200, 'actor.id': 'someone-else' } }),
      () => entries().replaceOne({ _id: second._id }, second),
    );
    expect(altered.problems).toEqual([
      expect.objectContaining({ kind: 'content', seq: second.seq, entryId: second._id }),
    ]);

    const removed = await tamper(
      () => entries().deleteOne({ _id: second._id }),
      () => entries().insertOne(second),
    );
    expect(removed.problems).toEqual([expect.objectContaining({ kind: 'missing', seq: second.seq })]);

    const reordered = await tamper(
      async () => {
        await entries().updateOne({ _id: second._id }, { $set: { seq: -1 } });
        await entries().updateOne({ _id: third._id }, { $set: { seq: second.seq } });
        await entries().updateOne({ _id: second._id }, { $set: { seq: third.seq } });
      },
      async () => {
        await entries().replaceOne({ _id: second._id }, { ...second, seq: -1 });
        await entries().replaceOne({ _id: third._id }, third);
        await entries().replaceOne({ _id: second._id }, second);
      },
    );
    expect(reordered.problems).toEqual([
      expect.objectContaining({ kind: 'order', seq: second.seq, entryId: third._id }),
    ]);

    const forged = await tamper(
      () =>
        entries().updateOne(
          { _id: second._id },
          { $set: { signature: Buffer.alloc(32).toString('base64') } },
        ),
      () => entries().replaceOne({ _id: second._id }, second),
    );
    expect(forged.problems).toEqual([expect.objectContaining({ kind: 'signature', seq: second.seq })]);

    const last = await entries().find({ chain: 0 }).sort({ seq: -1 }).limit(1).next();
    // The signed head is published off the request's path: cut the end only once the head covers it.
    await waitFor(() =>
      app.db
        .collection('audit_chain_heads')
        .find({ _id: 0, seq: last!.seq } as never)
        .toArray(),
    );
    const truncated = await tamper(
      () => entries().deleteOne({ _id: last!._id }),
      () => entries().insertOne(last!),
    );
    expect(truncated.problems).toEqual([expect.objectContaining({ kind: 'missing', seq: last!.seq })]);

    expect(await verify()).toMatchObject({ valid: true });
  });

  it('lets auditors search entries by patient, actor, action and time, page by page; others get 403', async () => {
    const patient = await createPatient();
    for (let i = 0; i < 3; i++) await app.ctx.as().get(`/api/v1/patients/${patient.id}`).expect(200);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await app.ctx
        .as(AUDITOR)
        .get('/api/v1/audit-events')
        .query({ patient: patient.id, limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...res.body.items.map((entry: { action: string }) => entry.action));
      cursor = res.body.next;
    } while (cursor);
    expect(seen).toEqual(['read', 'read', 'read', 'create']);
    const reads = await app.ctx
      .as(AUDITOR)
      .get('/api/v1/audit-events')
      .query({ actor: 'user-clinician-1', action: 'read', from: new Date(Date.now() - 60000).toISOString() })
      .expect(200);
    expect(reads.body.items.length).toBeGreaterThanOrEqual(3);
    await app.ctx.as().get('/api/v1/audit-events').expect(403);
    await app.ctx.as().get('/api/v1/audit/verify').expect(403);
    // The guard refuses before any handler runs; the denial reaches the ledger just after the response.
    const denied = await waitFor(() =>
      entries().find({ resourceType: 'AuditEvent', outcome: 403 }).toArray(),
    );
    expect(denied.length).toBeGreaterThanOrEqual(1);
    const own = await entries().find({ resourceType: 'AuditEvent' }).toArray();
    expect(own.map((entry) => entry.outcome)).toEqual(expect.arrayContaining([200, 403]));
  });

  it('ledgers a denial raised before the handler runs (a guard throwing 401/403)', async () => {
    const patient = await createPatient();
    const traceId = 'b'.repeat(31) + '2';
    // A forged token: the authentication guard refuses it before any handler runs.
    await request(app.ctx.http)
      .get(`/api/v1/patients/${patient.id}`)
      .set('authorization', 'Bearer forged.token.value')
      .set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`)
      .expect(401);
    const found = await waitFor(() => entries().find({ correlationId: traceId }).toArray());
    expect(found).toMatchObject([
      { action: 'read', resourceType: 'Patient', resourceId: patient.id, patientId: patient.id },
    ]);
    expect(found[0].outcome).toBeGreaterThanOrEqual(400);
  });

  it('never ledgers an identifier someone put in the URL in place of a record id', async () => {
    const traceId = 'e'.repeat(31) + '5';
    await request(app.ctx.http)
      .get('/api/v1/patients/9434765919/test-results')
      .set('authorization', 'Bearer forged.token.value')
      .set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`)
      .expect(401);
    const found = await waitFor(() => entries().find({ correlationId: traceId }).toArray());
    expect(found).toMatchObject([{ action: 'search', resourceType: 'TestResult' }]);
    expect(JSON.stringify(found)).not.toContain('9434765919');
  });

  it('fails a read closed when the ledger cannot take its entry', async () => {
    const patient = await createPatient();
    const ledger = app.ctx.app.get(AuditLedgerService);
    jest.spyOn(ledger, 'append').mockRejectedValueOnce(new Error('ledger down'));
    const res = await app.ctx.as().get(`/api/v1/patients/${patient.id}`).expect(500);
    expect(JSON.stringify(res.body)).not.toContain('Oakenshield');
  });

  it('after a crash between a change and its entry, recovery leaves neither a change without entry nor a duplicate', async () => {
    const ledger = app.ctx.app.get(AuditLedgerService);
    const recovery = app.ctx.app.get(AuditRecoveryService);
    // Start from a settled ledger: earlier requests' intent clears written, nothing left to finish.
    await recovery.recover(0);
    // The write path dies after the patient (with its intent) is stored and before the entry is appended.
    jest.spyOn(ledger, 'append').mockRejectedValueOnce(new Error('process killed'));
    await app.ctx
      .as()
      .post('/api/v1/patients')
      .send(patientBody({ name: { family: 'Crashfield' } }))
      .expect(500);
    const stored = await app.db.collection('patients').findOne({ 'name.family': 'Crashfield' });
    expect(stored?.auditOutbox).toHaveLength(1);
    const intentId = stored!.auditOutbox[0].id;
    expect(await entries().countDocuments({ _id: intentId })).toBe(0);

    // And a result update dies the same way.
    const patient = await createPatient();
    const result = (
      await app.ctx.as().post(`/api/v1/patients/${patient.id}/test-results`).send(resultBody()).expect(201)
    ).body;
    // FerretDB 1.x applies an update as read, modify, write without a lock: the create's background intent
    // clear must be done before the update, or one of the two writes may undo the other (docs/datastore.md).
    await waitFor(() =>
      app.db
        .collection('test_results')
        .find({ _id: result.id, auditOutbox: [] } as never)
        .toArray(),
    );
    jest.spyOn(ledger, 'append').mockRejectedValueOnce(new Error('process killed'));
    await app.ctx
      .as()
      .put(`/api/v1/patients/${patient.id}/test-results/${result.id}`)
      .set('If-Match', '"1"')
      .send(resultBody({ status: 'amended' }))
      .expect(500);

    // A crash after the entry is durable but before the intent is cleared: the intent is there on restart.
    const append = ledger.append.bind(ledger);
    jest.spyOn(ledger, 'append').mockImplementationOnce(async (draft) => {
      await append(draft);
      throw new Error('process killed');
    });
    await app.ctx
      .as()
      .post('/api/v1/patients')
      .send(patientBody({ name: { family: 'Crashlate' } }))
      .expect(500);
    const done = await app.db.collection('patients').findOne({ 'name.family': 'Crashlate' });
    expect(done?.auditOutbox).toHaveLength(1);

    // Recovery first writes the clears still queued from settled requests: only the three are left.
    expect(await recovery.recover(0)).toBe(3);
    expect(await entries().countDocuments({ _id: intentId, action: 'create', outcome: 201 })).toBe(1);
    expect(await entries().countDocuments({ resourceId: result.id, action: 'update', outcome: 200 })).toBe(1);
    expect(await entries().countDocuments({ resourceId: done!._id, action: 'create' })).toBe(1);
    expect(await app.db.collection('patients').countDocuments({ 'auditOutbox.0': { $exists: true } })).toBe(
      0,
    );
    expect(
      await app.db.collection('test_results').countDocuments({ 'auditOutbox.0': { $exists: true } }),
    ).toBe(0);
    expect(await recovery.recover(0)).toBe(0);
    expect(await verify()).toMatchObject({ valid: true });
  });

  it('writes no entry for a change that did not happen', async () => {
    const patient = await createPatient();
    const before = await entries().countDocuments({ resourceId: patient.id, action: 'update', outcome: 200 });
    await app.ctx
      .as()
      .put(`/api/v1/patients/${patient.id}`)
      .set('If-Match', '"9"')
      .send(patientBody())
      .expect(412);
    expect(await entries().countDocuments({ resourceId: patient.id, action: 'update', outcome: 200 })).toBe(
      before,
    );
  });
});

async function waitFor<T extends unknown[]>(probe: () => Promise<T>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (last.length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await probe();
  }
  return last;
}

describe('Audit ledger shared by two replicas', () => {
  let first: AuditedTestApp;
  let second: TestApp;

  beforeAll(async () => {
    const env = { AUDIT_SIGNING_KEY: testSigningKeys(), AUDIT_CHAINS: '1' };
    first = await startAuditedApp(env);
    second = await startTestApp({ ...env, MONGODB_URI: first.ctx.database.uri });
  });

  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('keeps one unbroken chain when both append to it at once', async () => {
    const creates = [first.ctx, second, first.ctx, second].flatMap((app) =>
      Array.from({ length: 5 }, () => app.as().post('/api/v1/patients').send(patientBody()).expect(201)),
    );
    await Promise.all(creates);
    const entries = await first.db.collection('audit_entries').find({ action: 'create' }).toArray();
    expect(entries).toHaveLength(20);
    const report = (await first.ctx.as(AUDITOR).get('/api/v1/audit/verify').expect(200)).body;
    expect(report).toMatchObject({ valid: true, problems: [] });
    expect(report.entriesChecked).toBe(20);
  });
});
