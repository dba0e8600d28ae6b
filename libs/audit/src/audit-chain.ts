import { AuditDraft } from './audit-event';
import { AuditEntryRepository } from './audit-entry.repository';
import { AuditSigner, ChainPosition, GENESIS_HASH } from './audit-signer';
import { ChainHeadPublisher } from './chain-head-publisher';

const MAX_BATCH = 256;
const MAX_ATTEMPTS = 5;

interface Pending {
  readonly draft: AuditDraft;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * One independent hash chain. Appends queue up and are sealed and inserted in ordered batches (group commit),
 * so a chain takes one database round trip per batch, not per entry. Positions are claimed by the unique
 * (chain, seq) index: when another process got there first, the chain reloads its head and seals again.
 */
export class AuditChain {
  private queue: Pending[] = [];
  private draining = false;
  private head?: ChainPosition;

  constructor(
    readonly id: number,
    private readonly repository: AuditEntryRepository,
    private readonly signer: AuditSigner,
    private readonly heads: ChainHeadPublisher,
  ) {}

  append(draft: AuditDraft): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ draft, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await this.write(batch);
      } catch (error) {
        this.head = undefined;
        batch.forEach((pending) => pending.reject(error));
      }
    }
    this.draining = false;
  }

  private async write(batch: Pending[]): Promise<void> {
    for (let attempt = 1; batch.length > 0; attempt++) {
      this.head ??= (await this.repository.lastOfChain(this.id)) ?? { seq: 0, hash: GENESIS_HASH };
      const entries = batch.map(({ draft }) => this.seal(draft));
      try {
        await this.repository.insertMany(entries);
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= MAX_ATTEMPTS) throw error;
        batch = await this.settleAfterCollision(batch, insertedCount(error));
        continue;
      }
      batch.forEach((pending) => pending.resolve());
      this.heads.publish(this.id, this.head);
      return;
    }
  }

  private seal(draft: AuditDraft) {
    const entry = this.signer.seal(draft, this.id, this.head!);
    this.head = { seq: entry.seq, hash: entry.hash };
    return entry;
  }

  /** Resolves what went in and what was already there (a retried intent); returns what is left to write. */
  private async settleAfterCollision(batch: Pending[], inserted: number): Promise<Pending[]> {
    batch.slice(0, inserted).forEach((pending) => pending.resolve());
    this.head = undefined;
    const rest = batch.slice(inserted);
    const existing = await this.repository.existingIds(rest.map(({ draft }) => draft.id));
    rest.filter(({ draft }) => existing.has(draft.id)).forEach((pending) => pending.resolve());
    return rest.filter(({ draft }) => !existing.has(draft.id));
  }
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: unknown }).code === 11000;
}

function insertedCount(error: unknown): number {
  const count = (error as { insertedCount?: unknown }).insertedCount;
  return typeof count === 'number' ? count : 0;
}
