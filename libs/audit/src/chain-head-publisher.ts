import { AuditEntryRepository, SignedHead } from './audit-entry.repository';
import { AuditSigner, ChainPosition, headMessage } from './audit-signer';

/**
 * Publishes the chains' signed heads off the callers' path and coalesced: one bulk write in flight for all
 * chains, then the latest head of each chain that moved since. The signed head only anchors a chain's end
 * against truncation, and a stale head matches nothing.
 */
export class ChainHeadPublisher {
  private readonly latest = new Map<number, ChainPosition>();
  private publishing = false;

  constructor(
    private readonly repository: AuditEntryRepository,
    private readonly signer: AuditSigner,
    private readonly onError: (error: unknown) => void,
  ) {}

  publish(chain: number, head: ChainPosition): void {
    this.latest.set(chain, head);
    if (!this.publishing) void this.write();
  }

  private async write(): Promise<void> {
    this.publishing = true;
    while (this.latest.size > 0) {
      const heads = [...this.latest].map(([chain, head]) => this.signed(chain, head));
      this.latest.clear();
      await this.repository.advanceHeads(heads).catch(this.onError);
    }
    this.publishing = false;
  }

  private signed(chain: number, head: ChainPosition): SignedHead {
    const keyId = this.signer.activeKeyId;
    return { chain, ...head, keyId, signature: this.signer.sign(keyId, headMessage(chain, head)) };
  }
}
