import type { ChainPosition } from './audit-signer';

/** One chain's head as a checkpoint records it. */
export interface CheckpointHead extends ChainPosition {
  readonly chain: number;
}

/** A signed record of every chain's head at one moment. */
export interface AuditCheckpoint {
  readonly id: string;
  readonly at: Date;
  /** How many chains the ledger had (AUDIT_CHAINS). */
  readonly chains: number;
  readonly heads: readonly CheckpointHead[];
  readonly keyId: string;
  readonly signature: string;
}

/** The message a checkpoint's signature covers: its id, time, chain count and every head in chain order. */
export function checkpointMessage(checkpoint: Omit<AuditCheckpoint, 'keyId' | 'signature'>): string {
  const heads = [...checkpoint.heads]
    .sort((a, b) => a.chain - b.chain)
    .map(({ chain, seq, hash }) => `${chain}:${seq}:${hash}`);
  return ['checkpoint', checkpoint.id, checkpoint.at.toISOString(), checkpoint.chains, ...heads].join('|');
}
