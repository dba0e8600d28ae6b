import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { Bundle, BundleEntry, FhirResource } from 'fhir/r4';
import { auditOutcomeOf } from '@hdp/audit';
import { asDomainError, DomainError, ErrorKind, FieldIssue, safeErrorSummary } from '@hdp/platform';
import { FhirValidationError } from '../fhir-validation';
import { operationOutcome } from '../http/operation-outcome';
import { fromFhirObservation } from '../observation/observation.mapper';
import { ObservationResourceService } from '../observation/observation-resource.service';
import { fromFhirPatient } from '../patient/patient.mapper';
import { PatientResourceService } from '../patient/patient-resource.service';
import { CreateEntry, createEntries, entryIssue, resolveReferences } from './bundle-entries';
import { TransactionJournalRepository } from './transaction-journal.repository';
import { TransactionRollback } from './transaction-rollback';

/** A transaction entry that failed: the entry's own error, re-pointed at the entry. */
export class TransactionEntryError extends DomainError {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    issues: readonly FieldIssue[],
  ) {
    super(`The transaction was not applied: ${message}`, issues);
  }
}

/**
 * `batch` and `transaction` Bundles posted to the base, whose entries create Patients and Observations
 * through the same services as single creates (same access checks, same ledger entries).
 *
 * A transaction is all-or-nothing in effect without multi-document transactions: every entry is validated
 * (with its `urn:uuid` references resolved to the ids assigned up front) before anything is written; a
 * journal naming every resource it may create is written next; then the entries are created, Patients first.
 * When one fails, those already created are deleted (their creation and deletion both in the ledger) and the
 * journal closed; when the process dies meanwhile, the transaction recovery deletes them from the journal.
 */
@Injectable()
export class FhirBundleService {
  private readonly logger = new Logger(FhirBundleService.name);

  constructor(
    private readonly patients: PatientResourceService,
    private readonly observations: ObservationResourceService,
    private readonly journal: TransactionJournalRepository,
    private readonly rollback: TransactionRollback,
  ) {}

  async process(base: string, bundle: unknown): Promise<Bundle> {
    const { type, entries } = createEntries(bundle);
    return type === 'batch' ? this.batch(base, entries) : this.transaction(base, entries);
  }

  /** Each entry on its own: a failed one has its OperationOutcome in its response, the others go in. */
  private async batch(base: string, entries: readonly CreateEntry[]): Promise<Bundle> {
    const responses: BundleEntry[] = [];
    for (const entry of entries)
      responses.push(await this.create(entry).then((created) => this.created(base, created), this.failed));
    return { resourceType: 'Bundle', type: 'batch-response', entry: responses };
  }

  private async transaction(base: string, given: readonly CreateEntry[]): Promise<Bundle> {
    const entries = resolveReferences(given).sort(
      (a, b) => Number(b.type === 'Patient') - Number(a.type === 'Patient') || a.index - b.index,
    );
    await this.validate(entries);
    const journalId = randomUUID();
    const creates = entries.map(({ type, id }) => ({ type, id }));
    await this.journal.open(journalId, creates);
    const created = new Map<number, FhirResource>();
    for (const entry of entries) {
      try {
        created.set(entry.index, await this.create(entry));
      } catch (error) {
        await this.rollback.run(creates);
        await this.journal.close(journalId, 'rolled-back');
        throw failedEntry(entry, error);
      }
    }
    await this.journal.close(journalId, 'committed');
    const response = given.map(({ index }) => this.created(base, created.get(index)!));
    return { resourceType: 'Bundle', type: 'transaction-response', entry: response };
  }

  /** Every entry's resource as its single create would check it; all issues at once, by entry. */
  private async validate(entries: readonly CreateEntry[]): Promise<void> {
    const issues: FieldIssue[] = [];
    for (const entry of entries) {
      try {
        if (entry.type === 'Patient') await fromFhirPatient(entry.resource);
        else fromFhirObservation(entry.resource);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        issues.push(...error.issues.map((issue) => entryIssue(entry, issue)));
      }
    }
    if (issues.length > 0) throw new FhirValidationError(issues);
  }

  private create(entry: CreateEntry): Promise<FhirResource> {
    const service = entry.type === 'Patient' ? this.patients : this.observations;
    return service.create(entry.resource, entry.id);
  }

  private created(base: string, resource: FhirResource): BundleEntry {
    const { resourceType, id, meta } = resource;
    return {
      fullUrl: `${base}/${resourceType}/${id}`,
      resource,
      response: {
        status: '201 Created',
        location: `${resourceType}/${id}/_history/${meta?.versionId}`,
        etag: `W/"${meta?.versionId}"`,
        lastModified: meta?.lastUpdated,
      },
    };
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

/** The error of the entry a transaction failed on, pointing at the entry; others (a 500) as they are. */
function failedEntry(entry: CreateEntry, error: unknown): unknown {
  const failure = asDomainError(error);
  if (!(failure instanceof DomainError)) return error;
  const issues = failure.issues.length
    ? failure.issues.map((issue) => entryIssue(entry, issue))
    : [{ path: `Bundle.entry[${entry.index}]`, message: failure.message }];
  return new TransactionEntryError(failure.kind, failure.message, issues);
}
