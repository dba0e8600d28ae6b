import { ContainerClient } from '@azure/storage-blob';
import { AuditCheckpointService } from '@hdp/audit';
import { randomBytes } from 'node:crypto';
import { Role } from '@hdp/platform';
import type { Document } from 'mongodb';
import { patientBody, useAuditedApp } from './support/patients-fixtures';

const AUDITOR = { id: 'auditor-1', roles: [Role.Auditor] };

interface Report {
  valid: boolean;
  chainsChecked: number;
  problems: { chain: number; seq: number; kind: string; detail: string }[];
}

/**
 * An attacker with write access to the database cuts the ledger back together with the signed chain heads
 * that would show it, or hides a chain under another id: the checkpoint and the known chain count show it.
 */
describe('Audit ledger truncation', () => {
  const app = useAuditedApp({ AUDIT_CHAINS: '2', AUDIT_RECOVERY_AGE_MS: '3600000' });
  const entries = () => app.db.collection('audit_entries');
  const heads = () => app.db.collection('audit_chain_heads');
  const verify = async () =>
    (await app.ctx.as(AUDITOR).get('/api/v1/audit/verify').expect(200)).body as Report;
  let chain: number;
  let chainEntries: Document[];

  beforeAll(async () => {
    for (let i = 0; i < 6; i++) await app.ctx.as().post('/api/v1/patients').send(patientBody()).expect(201);
    // The chain with more entries; its head published (off the requests' path) before the checkpoint.
    const counts = await Promise.all([0, 1].map((id) => entries().countDocuments({ chain: id })));
    chain = counts[0] >= counts[1] ? 0 : 1;
    chainEntries = await entries().find({ chain }).sort({ seq: 1 }).toArray();
    const lastSeq = chainEntries[chainEntries.length - 1].seq as number;
    for (let waited = 0; waited < 3000; waited += 50) {
      if (await heads().findOne({ _id: chain, seq: lastSeq } as never)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await app.ctx.app.get(AuditCheckpointService).checkpoint();
  });

  /** Runs a tampering, returns what verify reports, then puts the ledger back as it was. */
  async function tamper(change: () => Promise<unknown>): Promise<Report> {
    const savedEntries = await entries().find().toArray();
    const savedHeads = await heads().find().toArray();
    await change();
    try {
      return await verify();
    } finally {
      await entries().deleteMany({});
      await entries().insertMany(savedEntries);
      await heads().deleteMany({});
      if (savedHeads.length > 0) await heads().insertMany(savedHeads);
    }
  }

  it('verifies the untouched ledger against its checkpoint, knowing how many chains there are', async () => {
    expect(await verify()).toMatchObject({ valid: true, chainsChecked: 2, problems: [] });
  });

  it('names the cut when the last entries of a chain are deleted together with its head', async () => {
    const cut = chainEntries.slice(-2);
    const report = await tamper(async () => {
      await entries().deleteMany({ _id: { $in: cut.map((entry) => entry._id as string) } } as never);
      await heads().deleteOne({ _id: chain } as never);
    });
    expect(report.valid).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ chain, kind: 'missing', seq: cut[0].seq })]);
  });

  it('names a chain deleted whole together with its head', async () => {
    const report = await tamper(async () => {
      await entries().deleteMany({ chain });
      await heads().deleteOne({ _id: chain } as never);
    });
    expect(report.valid).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ chain, kind: 'missing', seq: 1 })]);
  });

  it('refuses entries whose chain id was changed to a string or an unknown number', async () => {
    for (const bogus of [String(chain), 7]) {
      const report = await tamper(() => entries().updateMany({ chain }, { $set: { chain: bogus } }));
      expect(report.valid).toBe(false);
      expect(report.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ chain: -1, detail: 'entries carry a chain id outside 0..1' }),
        ]),
      );
    }
  });

  it('refuses a checkpoint whose signature does not match', async () => {
    const checkpoints = app.db.collection('audit_checkpoints');
    const latest = await checkpoints.find().sort({ at: -1 }).limit(1).next();
    await checkpoints.updateOne({ _id: latest!._id }, { $set: { 'heads.0.seq': 0 } });
    try {
      const report = await verify();
      expect(report.problems).toEqual([expect.objectContaining({ chain: -1, kind: 'signature' })]);
    } finally {
      await checkpoints.replaceOne({ _id: latest!._id }, latest!);
    }
  });
});

describe('Audit checkpoints copied to blob storage (Azurite)', () => {
  const container = `audit-checkpoints-${randomBytes(4).toString('hex')}`;
  const app = useAuditedApp({
    AUDIT_CHAINS: '1',
    AUDIT_RECOVERY_AGE_MS: '3600000',
    AUDIT_CHECKPOINT_CONTAINER: container,
    DOCUMENTS_STORAGE_CONNECTION_STRING: process.env.TEST_AZURITE_BLOB_CONNECTION_STRING!,
  });
  const blobs = () => new ContainerClient(process.env.TEST_AZURITE_BLOB_CONNECTION_STRING!, container);

  afterAll(() => blobs().deleteIfExists());

  it('writes each checkpoint once to the container, and verify still catches a cut after the database’s checkpoints are deleted', async () => {
    for (let i = 0; i < 3; i++) await app.ctx.as().post('/api/v1/patients').send(patientBody()).expect(201);
    const checkpoint = await app.ctx.app.get(AuditCheckpointService).checkpoint();
    const names: string[] = [];
    for await (const blob of blobs().listBlobsFlat({ prefix: 'checkpoints/' })) names.push(blob.name);
    expect(names).toEqual([expect.stringContaining(checkpoint.id)]);

    const last = await app.db
      .collection('audit_entries')
      .find({ chain: 0 })
      .sort({ seq: -1 })
      .limit(1)
      .next();
    await app.db.collection('audit_checkpoints').deleteMany({});
    await app.db.collection('audit_chain_heads').deleteMany({});
    await app.db.collection('audit_entries').deleteOne({ _id: last!._id });
    const report = (await app.ctx.as(AUDITOR).get('/api/v1/audit/verify').expect(200)).body as Report;
    expect(report.valid).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ chain: 0, kind: 'missing', seq: last!.seq })]);
  });
});
