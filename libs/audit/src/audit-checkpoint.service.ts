import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, PeriodicTask } from '@hdp/platform';
import { randomUUID } from 'node:crypto';
import { AuditCheckpoint, checkpointMessage } from './audit-checkpoint';
import { AuditCheckpointArchive } from './audit-checkpoint.archive';
import { AuditCheckpointRepository } from './audit-checkpoint.repository';
import { AuditEntryRepository } from './audit-entry.repository';
import { AuditLedgerService } from './audit-ledger.service';
import { GENESIS_HASH } from './audit-signer';

/**
 * Every AUDIT_CHECKPOINT_INTERVAL_MS, one signed record of the last position of every chain. Verification
 * compares the chains with the latest one: entries removed from before it, or a chain removed with its
 * head, show even when the chain heads were cut back with them. With AUDIT_CHECKPOINT_CONTAINER each is
 * also written to blob storage, where a WORM policy keeps it out of reach of anyone with database access.
 */
@Injectable()
export class AuditCheckpointService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task = new PeriodicTask('Audit checkpoint', () => this.checkpoint());

  constructor(
    private readonly config: AppConfig,
    private readonly entries: AuditEntryRepository,
    private readonly checkpoints: AuditCheckpointRepository,
    private readonly ledger: AuditLedgerService,
    private readonly archive: AuditCheckpointArchive,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(this.config.AUDIT_CHECKPOINT_INTERVAL_MS);
  }

  onApplicationShutdown(): void {
    this.task.stop();
  }

  /** Records and signs the chains' positions now; resolves to the checkpoint written. */
  async checkpoint(): Promise<AuditCheckpoint> {
    const chains = this.config.AUDIT_CHAINS;
    const heads = await Promise.all(
      Array.from({ length: chains }, async (_, chain) => ({
        chain,
        ...((await this.entries.lastOfChain(chain)) ?? { seq: 0, hash: GENESIS_HASH }),
      })),
    );
    const unsigned = { id: randomUUID(), at: new Date(), chains, heads };
    const signer = this.ledger.signer;
    const keyId = signer.activeKeyId;
    const checkpoint = { ...unsigned, keyId, signature: signer.sign(keyId, checkpointMessage(unsigned)) };
    await this.checkpoints.insert(checkpoint);
    if (this.archive.enabled) await this.archive.store(checkpoint);
    return checkpoint;
  }
}
