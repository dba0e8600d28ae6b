import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AuditDraft, AuditLedgerService } from '@hdp/audit';
import { AppConfig, safeErrorSummary } from '@hdp/platform';
import { AuditIntents } from '../audit-intents';
import { NotificationPreferencesRepository } from './preferences/notification-preferences.repository';
import { RemindersRepository } from './reminders.repository';

const BATCH = 100;

/**
 * Appends the ledger entries of reminder and preference changes whose writer died before appending them
 * (from the intent kept in the changed document), then clears the intents. Same schedule as the patients'
 * AuditRecoveryService.
 */
@Injectable()
export class RemindersAuditRecoveryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RemindersAuditRecoveryService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly ledger: AuditLedgerService,
    private readonly reminders: RemindersRepository,
    private readonly preferences: NotificationPreferencesRepository,
  ) {}

  onApplicationBootstrap(): void {
    const every = Math.max(this.config.AUDIT_RECOVERY_AGE_MS * 10, 10_000);
    this.timer = setInterval(() => void this.recoverLogged(), every);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Finishes every intent older than `ageMs`; returns how many. */
  async recover(ageMs = this.config.AUDIT_RECOVERY_AGE_MS): Promise<number> {
    const before = new Date(Date.now() - ageMs);
    return (
      (await this.finish(this.reminders.intents, before)) +
      (await this.finish(this.preferences.intents, before))
    );
  }

  private async finish<T extends { _id: string; auditOutbox: AuditDraft[] }>(
    intents: AuditIntents<T>,
    before: Date,
  ): Promise<number> {
    let finished = 0;
    for (const record of await intents.pending(before, BATCH)) {
      for (const draft of record.auditOutbox.filter((intent) => new Date(intent.at) < before)) {
        await this.ledger.append(draft);
        await intents.clear(record._id, draft);
        finished++;
      }
    }
    return finished;
  }

  private async recoverLogged(): Promise<void> {
    await this.recover().catch((error: unknown) =>
      this.logger.warn({ error: safeErrorSummary(error) }, 'Reminder audit recovery failed'),
    );
  }
}
