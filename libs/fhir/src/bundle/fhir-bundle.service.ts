import { Injectable, Logger } from '@nestjs/common';
import type { Bundle, BundleEntry } from 'fhir/r4';
import { auditOutcomeOf } from '@hdp/audit';
import { asDomainError, DomainError, safeErrorSummary } from '@hdp/platform';
import { operationOutcome } from '../http/operation-outcome';
import { RequestEntry, requestEntries } from './bundle-entries';
import { BundleInteractions } from './bundle-interactions';
import { EntryAccess } from './entry-access';
import { FhirTransactionService } from './fhir-transaction.service';

/**
 * `batch` and `transaction` Bundles posted to the base. Each entry runs as its single interaction would:
 * the caller's scopes checked for its type and interaction, then the same resource service (same
 * compartment, same ledger entries).
 */
@Injectable()
export class FhirBundleService {
  private readonly logger = new Logger(FhirBundleService.name);

  constructor(
    private readonly access: EntryAccess,
    private readonly interactions: BundleInteractions,
    private readonly transactions: FhirTransactionService,
  ) {}

  async process(base: string, bundle: unknown): Promise<Bundle> {
    const { type, entries } = requestEntries(bundle);
    return type === 'batch' ? this.batch(base, entries) : this.transactions.run(base, entries);
  }

  /** Each entry on its own, in order: a failed one (403 included) has its OperationOutcome, the others go on. */
  private async batch(base: string, entries: readonly RequestEntry[]): Promise<Bundle> {
    const responses: BundleEntry[] = [];
    for (const entry of entries) {
      const run = async () => {
        await this.access.authorise(entry);
        return this.interactions.run(base, entry);
      };
      responses.push(await run().catch(this.failed));
    }
    return { resourceType: 'Bundle', type: 'batch-response', entry: responses };
  }

  private readonly failed = (error: unknown): BundleEntry => {
    const failure = asDomainError(error);
    const status = auditOutcomeOf(failure);
    if (!(failure instanceof DomainError))
      this.logger.error({ error: safeErrorSummary(error) }, 'A batch entry failed');
    const [message, issues] =
      failure instanceof DomainError
        ? [failure.message, failure.issues]
        : ['An unexpected error occurred.', []];
    return { response: { status: String(status), outcome: operationOutcome(status, message, issues) } };
  };
}
