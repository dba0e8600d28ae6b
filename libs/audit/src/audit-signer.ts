import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuditDraft, AuditEntry } from './audit-event';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainPosition {
  readonly seq: number;
  readonly hash: string;
}

/**
 * Seals drafts into hash-chained, HMAC-SHA-256-signed entries and checks sealed ones. Keys are named so they
 * can rotate: new entries are signed with the active key, old ones verify with the key id they recorded.
 */
const KEY_SPEC = /^[\w.-]{1,64}:[A-Za-z0-9+/=_-]{43,}(,[\w.-]{1,64}:[A-Za-z0-9+/=_-]{43,})*$/;

export class AuditSigner {
  private constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    readonly activeKeyId: string,
  ) {}

  /**
   * From `keyId:base64key[,keyId:base64key]` (keys of 32 bytes or more); the active key is `activeKeyId` or
   * the first. Errors never quote the keys.
   */
  static fromConfig(spec: string, activeKeyId?: string): AuditSigner {
    if (!KEY_SPEC.test(spec.trim())) {
      throw new Error(
        'The audit-signing-key secret must look like keyId:base64key[,keyId:base64key], keys of 32+ bytes',
      );
    }
    const keys = new Map(
      spec
        .trim()
        .split(',')
        .map((pair) => {
          const colon = pair.indexOf(':');
          return [pair.slice(0, colon), Buffer.from(pair.slice(colon + 1), 'base64')] as const;
        }),
    );
    const active = activeKeyId ?? [...keys.keys()][0];
    if (!keys.has(active))
      throw new Error('AUDIT_SIGNING_KEY_ID names no key of the audit-signing-key secret');
    return new AuditSigner(keys, active);
  }

  /** A random key that lives as long as the process: entries it signs cannot be verified after a restart. */
  static ephemeral(): AuditSigner {
    const keyId = `ephemeral-${randomBytes(4).toString('hex')}`;
    return new AuditSigner(new Map([[keyId, randomBytes(32)]]), keyId);
  }

  seal(draft: AuditDraft, chain: number, previous: ChainPosition): AuditEntry {
    const unsigned = {
      ...draft,
      chain,
      seq: previous.seq + 1,
      prevHash: previous.hash,
      keyId: this.activeKeyId,
    };
    const hash = contentHash(unsigned);
    return { ...unsigned, hash, signature: this.sign(this.activeKeyId, hash) };
  }

  /** Whether the entry's stored hash is the hash of its content. */
  hashMatches(entry: AuditEntry): boolean {
    return contentHash(entry) === entry.hash;
  }

  /** Whether `signature` is the signature of `message` by the key `keyId` (false for an unknown key). */
  signatureMatches(keyId: string, message: string, signature: string): boolean {
    if (!this.keys.has(keyId)) return false;
    const expected = Buffer.from(this.sign(keyId, message), 'base64');
    const given = Buffer.from(signature, 'base64');
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  sign(keyId: string, message: string): string {
    const key = this.keys.get(keyId);
    if (!key) throw new Error('Unknown audit signing key id');
    return createHmac('sha256', key).update(message).digest('base64');
  }
}

/** The message a chain head's signature covers. */
export function headMessage(chain: number, head: ChainPosition): string {
  return `head|${chain}|${head.seq}|${head.hash}`;
}

/** SHA-256 over every field but the hash and signature, in a fixed order, so no field can change unseen. */
function contentHash(entry: Omit<AuditEntry, 'hash' | 'signature'>): string {
  const fields = [
    'v1',
    entry.id,
    entry.chain,
    entry.seq,
    new Date(entry.at).toISOString(),
    entry.actor.id,
    entry.actor.clientId,
    [...entry.actor.roles],
    entry.action,
    entry.resourceType,
    entry.resourceId ?? null,
    entry.patientId ?? null,
    entry.outcome,
    entry.count ?? null,
    entry.clientAddress,
    entry.userAgent ?? null,
    entry.correlationId,
    entry.purposeOfUse ?? null,
    entry.breakGlassReason ?? null,
    entry.prevHash,
    entry.keyId,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}
