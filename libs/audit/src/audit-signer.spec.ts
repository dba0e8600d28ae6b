import { randomBytes } from 'node:crypto';
import { AuditAction, AuditDraft } from './audit-event';
import { AuditSigner, GENESIS_HASH } from './audit-signer';

const key = () => randomBytes(32).toString('base64');

function draft(overrides: Partial<AuditDraft> = {}): AuditDraft {
  return {
    id: 'entry-1',
    at: new Date('2026-01-01T00:00:00Z'),
    actor: { id: 'user-1', clientId: 'client-1', roles: ['clinician'] },
    action: AuditAction.Read,
    resourceType: 'Patient',
    resourceId: 'p-1',
    patientId: 'p-1',
    outcome: 200,
    clientAddress: '10.0.0.1',
    correlationId: 'f'.repeat(32),
    ...overrides,
  };
}

describe(AuditSigner.name, () => {
  it('chains an entry to its predecessor and signs it with the active key', () => {
    const sut = AuditSigner.fromConfig(`k1:${key()}`);
    const first = sut.seal(draft(), 3, { seq: 0, hash: GENESIS_HASH });
    const second = sut.seal(draft({ id: 'entry-2' }), 3, first);
    expect(first).toMatchObject({ chain: 3, seq: 1, prevHash: GENESIS_HASH, keyId: 'k1' });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(sut.hashMatches(second)).toBe(true);
    expect(sut.signatureMatches('k1', second.hash, second.signature)).toBe(true);
  });

  it('notices any changed field', () => {
    const sut = AuditSigner.fromConfig(`k1:${key()}`);
    const entry = sut.seal(draft(), 0, { seq: 0, hash: GENESIS_HASH });
    expect(sut.hashMatches({ ...entry, outcome: 404 })).toBe(false);
    expect(sut.hashMatches({ ...entry, actor: { ...entry.actor, roles: ['admin'] } })).toBe(false);
    expect(sut.hashMatches({ ...entry, seq: 2 })).toBe(false);
  });

  it('verifies entries signed with a rotated-out key it still holds, and rejects unknown keys', () => {
    const oldKey = key();
    const before = AuditSigner.fromConfig(`old:${oldKey}`);
    const entry = before.seal(draft(), 0, { seq: 0, hash: GENESIS_HASH });
    const after = AuditSigner.fromConfig(`new:${key()},old:${oldKey}`);
    expect(after.activeKeyId).toBe('new');
    expect(after.signatureMatches('old', entry.hash, entry.signature)).toBe(true);
    expect(
      AuditSigner.fromConfig(`other:${key()}`).signatureMatches('old', entry.hash, entry.signature),
    ).toBe(false);
  });

  it('refuses an active key id that names no key', () => {
    expect(() => AuditSigner.fromConfig(`k1:${key()}`, 'k2')).toThrow(/AUDIT_SIGNING_KEY_ID/);
  });

  it('rejects a short or malformed key without quoting it', () => {
    const attempt = () => AuditSigner.fromConfig('k1:c2hvcnQ=');
    expect(attempt).toThrow(/must look like keyId:base64key/);
    expect(attempt).not.toThrow(/c2hvcnQ/);
  });
});
