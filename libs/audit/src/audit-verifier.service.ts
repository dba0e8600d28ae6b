import { Injectable } from '@nestjs/common';
import { AppConfig } from '@hdp/platform';
import { AuditCheckpoint, checkpointMessage, CheckpointHead } from './audit-checkpoint';
import { AuditCheckpointArchive } from './audit-checkpoint.archive';
import { AuditCheckpointRepository } from './audit-checkpoint.repository';
import { AuditEntry } from './audit-event';
import { AuditEntryRepository, SignedHead } from './audit-entry.repository';
import { AuditLedgerService } from './audit-ledger.service';
import { AuditSigner, ChainPosition, GENESIS_HASH, headMessage } from './audit-signer';
import { LedgerProblem, LedgerVerificationDto } from './dto/ledger-verification.dto';

/** A chain's head is published moments after its entries: a younger last entry may have none yet. */
const HEAD_GRACE_MS = 10_000;

/**
 * Walks every chain of the ledger (AUDIT_CHAINS of them, ids 0..N-1) from its first entry and reports, per
 * chain, the first entry whose presence, order, content or signature is wrong, a chain with entries but no
 * signed head, entries under a chain id that is not one of the N, and any chain that no longer reaches the
 * position (and hash) the latest signed checkpoint (in the database or the archive) recorded for it. Each chain in bounded memory.
 */
@Injectable()
export class AuditVerifierService {
  constructor(
    private readonly config: AppConfig,
    private readonly repository: AuditEntryRepository,
    private readonly checkpoints: AuditCheckpointRepository,
    private readonly archive: AuditCheckpointArchive,
    private readonly ledger: AuditLedgerService,
  ) {}

  async verify(): Promise<LedgerVerificationDto> {
    const chains = this.config.AUDIT_CHAINS;
    const heads = new Map((await this.repository.chainHeads()).map((head) => [head.chain, head]));
    const { checkpoint, problem: unreadable } = await this.latestCheckpoint();
    const problems: LedgerProblem[] = [
      ...unknownChains(await this.repository.chainIds(), chains),
      ...(unreadable ? [unreadable] : []),
      ...this.checkpointProblems(checkpoint, chains),
    ];
    const recorded = new Map(checkpoint?.heads.map((head) => [head.chain, head]));
    let entriesChecked = 0;
    for (let chain = 0; chain < chains; chain++) {
      const result = await this.verifyChain(chain, heads.get(chain), recorded.get(chain));
      entriesChecked += result.checked;
      if (result.problem) problems.push(result.problem);
    }
    return { valid: problems.length === 0, chainsChecked: chains, entriesChecked, problems };
  }

  /** The later of the database's latest checkpoint and the archive's (the one nobody can remove). */
  private async latestCheckpoint(): Promise<{ checkpoint?: AuditCheckpoint; problem?: LedgerProblem }> {
    const stored = await this.checkpoints.latest();
    if (!this.archive.enabled) return { checkpoint: stored };
    try {
      const archived = await this.archive.latest();
      const later = !stored || (archived && archived.at > stored.at) ? archived : stored;
      return { checkpoint: later };
    } catch {
      const detail = 'the checkpoint archive could not be read';
      return { checkpoint: stored, problem: { chain: -1, seq: 0, kind: 'missing', detail } };
    }
  }

  private checkpointProblems(checkpoint: AuditCheckpoint | undefined, chains: number): LedgerProblem[] {
    if (!checkpoint) return [];
    const at = { chain: -1, seq: 0 };
    if (
      !this.ledger.signer.signatureMatches(
        checkpoint.keyId,
        checkpointMessage(checkpoint),
        checkpoint.signature,
      )
    )
      return [{ ...at, kind: 'signature', detail: 'the latest checkpoint is not signed' }];
    if (checkpoint.chains > chains)
      return [{ ...at, kind: 'missing', detail: `the latest checkpoint has ${checkpoint.chains} chains` }];
    return [];
  }

  private async verifyChain(chain: number, head?: SignedHead, recorded?: CheckpointHead) {
    const signer = this.ledger.signer;
    let previous: ChainPosition = { seq: 0, hash: GENESIS_HASH };
    let last: AuditEntry | undefined;
    let checked = 0;
    for await (const entry of this.repository.streamChain(chain)) {
      checked++;
      const problem = checkEntry(signer, entry, previous) ?? checkRecorded(entry, recorded);
      if (problem) return { checked, problem };
      previous = { seq: entry.seq, hash: entry.hash };
      last = entry;
    }
    const problem =
      checkReachesCheckpoint(chain, previous, recorded) ??
      (head ? checkHead(signer, head, previous) : checkHeadless(chain, last));
    return { checked, problem };
  }
}

/** Entries whose chain id is not an integer 0..chains-1 (changed, or written by someone else). */
function unknownChains(ids: readonly unknown[], chains: number): LedgerProblem[] {
  return ids
    .filter((id) => !(typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < chains))
    .map(() => ({
      chain: -1,
      seq: 0,
      kind: 'order',
      detail: `entries carry a chain id outside 0..${chains - 1}`,
    }));
}

function checkEntry(
  signer: AuditSigner,
  entry: AuditEntry,
  previous: ChainPosition,
): LedgerProblem | undefined {
  const at = { chain: entry.chain, seq: previous.seq + 1 };
  if (entry.seq !== previous.seq + 1) {
    return { ...at, kind: 'missing', detail: `entries ${at.seq} to ${entry.seq - 1} are missing` };
  }
  const found = { ...at, entryId: entry.id };
  if (entry.prevHash !== previous.hash) {
    return { ...found, kind: 'order', detail: 'the entry does not follow its predecessor' };
  }
  if (!signer.hashMatches(entry)) {
    return { ...found, kind: 'content', detail: 'the entry was changed after it was written' };
  }
  if (!signer.signatureMatches(entry.keyId, entry.hash, entry.signature)) {
    return { ...found, kind: 'signature', detail: 'the signature does not match (or its key is unknown)' };
  }
  return undefined;
}

function checkRecorded(entry: AuditEntry, recorded?: CheckpointHead): LedgerProblem | undefined {
  if (recorded?.seq !== entry.seq || recorded.hash === entry.hash) return undefined;
  const detail = 'the entry is not the one the latest checkpoint recorded';
  return { chain: entry.chain, seq: entry.seq, entryId: entry.id, kind: 'content', detail };
}

function checkReachesCheckpoint(
  chain: number,
  last: ChainPosition,
  recorded?: CheckpointHead,
): LedgerProblem | undefined {
  if (!recorded || last.seq >= recorded.seq) return undefined;
  const detail = `entries after ${last.seq} up to ${recorded.seq} (in the latest checkpoint) are missing`;
  return { chain, seq: last.seq + 1, kind: 'missing', detail };
}

function checkHead(signer: AuditSigner, head: SignedHead, last: ChainPosition): LedgerProblem | undefined {
  if (!signer.signatureMatches(head.keyId, headMessage(head.chain, head), head.signature)) {
    return { chain: head.chain, seq: head.seq, kind: 'signature', detail: 'the chain head is not signed' };
  }
  if (head.seq > last.seq || (head.seq === last.seq && head.hash !== last.hash)) {
    const detail = `entries after ${last.seq} up to ${head.seq} are missing`;
    return { chain: head.chain, seq: last.seq + 1, kind: 'missing', detail };
  }
  return undefined;
}

/** A chain with entries must have a signed head, once it has had time to be published. */
function checkHeadless(chain: number, last?: AuditEntry): LedgerProblem | undefined {
  if (!last || Date.now() - new Date(last.at).getTime() < HEAD_GRACE_MS) return undefined;
  return { chain, seq: last.seq, kind: 'missing', detail: 'the chain has entries but no signed head' };
}
