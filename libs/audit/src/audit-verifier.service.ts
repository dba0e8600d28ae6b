import { Injectable } from '@nestjs/common';
import { AuditEntry } from './audit-event';
import { AuditEntryRepository, SignedHead } from './audit-entry.repository';
import { AuditLedgerService } from './audit-ledger.service';
import { AuditSigner, ChainPosition, GENESIS_HASH, headMessage } from './audit-signer';
import { LedgerProblem, LedgerVerificationDto } from './dto/ledger-verification.dto';

/**
 * Walks every chain of the ledger from its first entry and reports, per chain, the first entry whose
 * presence, order, content or signature is wrong. Each chain is checked on its own, in bounded memory.
 */
@Injectable()
export class AuditVerifierService {
  constructor(
    private readonly repository: AuditEntryRepository,
    private readonly ledger: AuditLedgerService,
  ) {}

  async verify(): Promise<LedgerVerificationDto> {
    const heads = new Map((await this.repository.chainHeads()).map((head) => [head.chain, head]));
    const chains = [...new Set([...(await this.repository.chains()), ...heads.keys()])].sort((a, b) => a - b);
    let entriesChecked = 0;
    const problems: LedgerProblem[] = [];
    for (const chain of chains.filter((id) => id >= 0)) {
      const result = await this.verifyChain(chain, heads.get(chain));
      entriesChecked += result.checked;
      if (result.problem) problems.push(result.problem);
    }
    return { valid: problems.length === 0, chainsChecked: chains.length, entriesChecked, problems };
  }

  private async verifyChain(chain: number, head?: SignedHead) {
    const signer = this.ledger.signer;
    let previous: ChainPosition = { seq: 0, hash: GENESIS_HASH };
    let checked = 0;
    for await (const entry of this.repository.streamChain(chain)) {
      checked++;
      const problem = checkEntry(signer, entry, previous);
      if (problem) return { checked, problem };
      previous = { seq: entry.seq, hash: entry.hash };
    }
    return { checked, problem: head ? checkHead(signer, head, previous) : undefined };
  }
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
