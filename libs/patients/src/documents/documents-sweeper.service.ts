import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AuditLedgerService } from '@hdp/audit';
import { AppConfig, safeErrorSummary } from '@hdp/platform';
import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';

const BATCH = 100;

/**
 * Finds what crashes left behind and finishes it: uploads that never completed (their blob, if any, and the
 * reserved record are removed: the document never existed), deletions whose blob is still there (removed),
 * and changes whose ledger entry was not yet written (appended from the intent, then cleared).
 */
@Injectable()
export class DocumentsSweeperService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DocumentsSweeperService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly repository: DocumentsRepository,
    private readonly documents: DocumentsService,
    private readonly ledger: AuditLedgerService,
  ) {}

  onApplicationBootstrap(): void {
    const every = Math.max(this.config.DOCUMENTS_SWEEP_AGE_MS / 4, 10_000);
    this.timer = setInterval(() => void this.sweepLogged(), every);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Cleans everything older than `ageMs`; returns how many uploads and deletions it finished. */
  async sweep(ageMs = this.config.DOCUMENTS_SWEEP_AGE_MS): Promise<number> {
    const before = new Date(Date.now() - ageMs);
    for (const document of await this.repository.intents.pending(before, BATCH)) {
      for (const draft of document.auditOutbox.filter((intent) => new Date(intent.at) < before)) {
        await this.ledger.append(draft);
        await this.repository.intents.clear(document._id, draft);
      }
    }
    const { pending, unpurged } = await this.repository.leftovers(before, BATCH);
    for (const document of pending) await this.documents.abandon(document);
    for (const document of unpurged) await this.documents.purge(document);
    return pending.length + unpurged.length;
  }

  private async sweepLogged(): Promise<void> {
    try {
      const finished = await this.sweep();
      if (finished > 0) this.logger.log({ finished }, 'Document sweep finished interrupted work');
    } catch (error) {
      this.logger.warn({ error: safeErrorSummary(error) }, 'Document sweep failed');
    }
  }
}
