import { randomBytes } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AuditRecoveryService } from '@hdp/patients';
import { AppConfig, RequestContextService, Role, safeErrorSummary } from '@hdp/platform';
import { TransactionJournalRepository } from './transaction-journal.repository';
import { TransactionRollback } from './transaction-rollback';

const BATCH = 50;
/** Who the ledger names for the undoing of a dead transaction's writes. */
const RECOVERY = { id: 'fhir-transaction-recovery', clientId: 'hdp', roles: [Role.Admin], scopes: [] };

/**
 * Rolls back transactions whose process died while applying them (journal still `applying` after
 * AUDIT_RECOVERY_AGE_MS): sets every resource the journal names back to its version when the transaction
 * started (deleting those it created), then closes the journal. The writes the process left half done
 * are finished first (the audit recovery rolls their versions forward, with their ledger entries), so the
 * undoing follows them. Runs at start-up; `recover` is idempotent.
 */
@Injectable()
export class TransactionRecoveryService implements OnApplicationBootstrap {
  private readonly logger = new Logger(TransactionRecoveryService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly journal: TransactionJournalRepository,
    private readonly rollback: TransactionRollback,
    private readonly audits: AuditRecoveryService,
    private readonly contexts: RequestContextService,
  ) {}

  onApplicationBootstrap(): void {
    this.recover(this.config.AUDIT_RECOVERY_AGE_MS).catch((error: unknown) =>
      this.logger.error({ error: safeErrorSummary(error) }, 'Transaction recovery failed'),
    );
  }

  /** Rolls back the transactions abandoned for longer than `ageMs`; returns how many. */
  async recover(ageMs: number): Promise<number> {
    const abandoned = await this.journal.abandoned(new Date(Date.now() - ageMs), BATCH);
    if (abandoned.length === 0) return 0;
    await this.audits.recover(ageMs);
    const context = {
      requestId: randomBytes(8).toString('hex'),
      traceId: randomBytes(16).toString('hex'),
      clientAddress: 'internal',
      principal: RECOVERY,
    };
    for (const transaction of abandoned) {
      await this.contexts.run(context, () => this.rollback.run(transaction.resources, transaction.startedAt));
      await this.journal.close(transaction._id, 'rolled-back');
    }
    return abandoned.length;
  }
}
