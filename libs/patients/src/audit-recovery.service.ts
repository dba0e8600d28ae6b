import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AuditAction, AuditDraft, AuditLedgerService } from '@hdp/audit';
import { AppConfig, safeErrorSummary } from '@hdp/platform';
import { PatientsRepository } from './patients.repository';
import { DevicesRepository } from './devices/devices.repository';
import { EncountersRepository } from './encounters/encounters.repository';
import { AuditIntents } from './audit-intents';
import { PatientsService } from './patients.service';
import { TestResultsRepository } from './test-results.repository';

const BATCH = 100;

/**
 * Finishes changes whose writer died between the change (with its audit intent) and the ledger entry:
 * appends the intent's entry (once: appends are idempotent by entry id), completes the change's follow-up
 * steps, and clears the intent. A writer that died even earlier, after claiming a version but before
 * writing the record, left the version pending: it is rolled forward first, with its intent, which the
 * same sweep then finishes. Runs at start-up and then every 10 x AUDIT_RECOVERY_AGE_MS.
 */
@Injectable()
export class AuditRecoveryService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditRecoveryService.name);
  private timer?: NodeJS.Timeout;
  /** The sweep under way, if any: shutdown waits for it, so the store is not closed beneath it. */
  private running?: Promise<unknown>;
  private readonly registered: AuditIntents<{ _id: string; auditOutbox: AuditDraft[] }>[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly ledger: AuditLedgerService,
    private readonly patientsRepository: PatientsRepository,
    private readonly resultsRepository: TestResultsRepository,
    private readonly patients: PatientsService,
    private readonly devicesRepository: DevicesRepository,
    private readonly encountersRepository: EncountersRepository,
  ) {}

  /** Intents of records kept by modules outside the lib's core (patient-reported data), swept the same way. */
  register<T extends { _id: string; auditOutbox: AuditDraft[] }>(intents: AuditIntents<T>): void {
    this.registered.push(intents as unknown as AuditIntents<{ _id: string; auditOutbox: AuditDraft[] }>);
  }

  onApplicationBootstrap(): void {
    const sweep = () => {
      this.running ??= this.recover(this.config.AUDIT_RECOVERY_AGE_MS)
        .catch((error: unknown) =>
          this.logger.error({ error: safeErrorSummary(error) }, 'Audit recovery sweep failed'),
        )
        .finally(() => (this.running = undefined));
    };
    sweep();
    // Old intents are rare (a crash): the sweep need not run often.
    this.timer = setInterval(sweep, Math.max(this.config.AUDIT_RECOVERY_AGE_MS * 10, 10_000));
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Finishes every change older than `ageMs`; returns how many intents it finished. */
  async recover(ageMs: number): Promise<number> {
    const before = new Date(Date.now() - ageMs);
    await this.patientsRepository.versions.recover(before, BATCH);
    await this.resultsRepository.versions.recover(before, BATCH);
    let finished = 0;
    for (const patient of await this.patientsRepository.intents.pending(before, BATCH)) {
      for (const draft of patient.auditOutbox.filter((intent) => new Date(intent.at) < before)) {
        await this.ledger.append(draft);
        if (draft.action === AuditAction.Delete) await this.patients.settleDeletion(patient._id, draft);
        else await this.patientsRepository.intents.clear(patient._id, draft);
        finished++;
      }
    }
    finished += await this.finish(this.resultsRepository.intents, before);
    finished += await this.finish(this.devicesRepository.intents, before);
    finished += await this.finish(this.encountersRepository.intents, before);
    for (const intents of this.registered) finished += await this.finish(intents, before);
    return finished;
  }

  /** Appends and clears the old intents of records whose changes need no follow-up step. */
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
}
