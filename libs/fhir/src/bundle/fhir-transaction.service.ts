import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Bundle, BundleEntry, FhirResource, Identifier } from 'fhir/r4';
import { asDomainError, DomainError, ErrorKind, FieldIssue, InvalidInputError } from '@hdp/platform';
import { FhirValidationError } from '../fhir-validation';
import { ObservationResourceService } from '../observation/observation-resource.service';
import { fromFhirObservation } from '../observation/observation.mapper';
import { fromFhirPatient } from '../patient/patient.mapper';
import { PatientResourceService } from '../patient/patient-resource.service';
import { entryIssue, RequestEntry, resolveReferences, resourceOf } from './bundle-entries';
import { BundleInteractions } from './bundle-interactions';
import { EntryAccess } from './entry-access';
import { TransactionJournalRepository } from './transaction-journal.repository';
import { TouchedResource, TransactionRollback } from './transaction-rollback';

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

/** The spec's processing order: DELETE, then POST, then PUT, then GET; Patients first among creates. */
const PHASE: Record<RequestEntry['action'], number> = {
  delete: 0,
  create: 1,
  update: 2,
  'conditional-update': 2,
  read: 3,
  search: 3,
};

/** Creates of one type that run at once: a Bundle of 100 Observations is no longer 100 waits in a row. */
const PARALLEL_CREATES = 8;

/**
 * `transaction` Bundles, all-or-nothing in effect without multi-document transactions:
 * 1. every entry's scope is checked (one denied: 403, nothing runs);
 * 2. conditional entries are settled into plain ones (an `ifNoneExist` that matches becomes a read of the
 *    match, a conditional update the update of the holder or a create), so every resource the
 *    transaction may write is known by id, and `urn:uuid` references are resolved to those ids;
 * 3. every resource is validated as its single interaction would validate it (422 naming each bad
 *    element), before anything is written;
 * 4. a journal naming every resource it may write is opened, with the time it starts;
 * 5. the entries run in the spec's order (creates of one type several at a time). When one fails, the others
 *    under way finish, every resource written is set back to its version at the start (TransactionRollback)
 *    and the journal closed; a process that dies meanwhile leaves the journal `applying`, and the
 *    transaction recovery sets them back from it.
 */
@Injectable()
export class FhirTransactionService {
  constructor(
    private readonly access: EntryAccess,
    private readonly interactions: BundleInteractions,
    private readonly patients: PatientResourceService,
    private readonly observations: ObservationResourceService,
    private readonly journal: TransactionJournalRepository,
    private readonly rollback: TransactionRollback,
  ) {}

  async run(base: string, given: readonly RequestEntry[]): Promise<Bundle> {
    requireUndoable(given);
    for (const entry of given) await this.access.authorise(entry).catch((error) => failedEntry(entry, error));
    const settled: RequestEntry[] = [];
    for (const entry of given)
      settled.push(await this.settle(entry).catch((error) => failedEntry(entry, error)));
    const entries = resolveReferences(settled).sort(
      (a, b) =>
        PHASE[a.action] - PHASE[b.action] ||
        Number(b.type === 'Patient') - Number(a.type === 'Patient') ||
        a.index - b.index,
    );
    await validate(entries);
    const touched = entries.flatMap(writtenResource);
    const journalId = randomUUID();
    const startedAt = await this.journal.open(journalId, touched);
    const responses = new Map<number, BundleEntry>();
    for (const step of steps(entries)) {
      const outcomes = await Promise.allSettled(step.map((entry) => this.interactions.run(base, entry)));
      const failed = outcomes.findIndex((outcome) => outcome.status === 'rejected');
      if (failed >= 0) {
        await this.rollback.run(touched, startedAt);
        await this.journal.close(journalId, 'rolled-back');
        failedEntry(step[failed], (outcomes[failed] as PromiseRejectedResult).reason);
      }
      for (const [k, outcome] of outcomes.entries())
        responses.set(step[k].index, (outcome as PromiseFulfilledResult<BundleEntry>).value);
    }
    await this.journal.close(journalId, 'committed');
    const entry = given.map(({ index }) => responses.get(index)!);
    return { resourceType: 'Bundle', type: 'transaction-response', entry };
  }

  /** A conditional entry as the plain one it amounts to now; others as they are. */
  private async settle(entry: RequestEntry): Promise<RequestEntry> {
    if (entry.action === 'create' && entry.ifNoneExist) {
      const match = await this.holderOf(entry.type, entry.ifNoneExist);
      return match ? { ...entry, action: 'read', id: match.id! } : { ...entry, ifNoneExist: undefined };
    }
    if (entry.action !== 'conditional-update') return entry;
    const holder = await this.holderOf(entry.type, entry.criterion);
    const { index, type, fullUrl, resource } = entry;
    if (!holder) return { index, type, fullUrl, action: 'create', id: randomUUID(), resource };
    return {
      index,
      type,
      fullUrl,
      action: 'update',
      id: holder.id!,
      resource: { ...resource, id: holder.id },
      ifMatch: entry.ifMatch ?? `W/"${holder.meta?.versionId}"`,
    };
  }

  private holderOf(type: RequestEntry['type'], identifier: Identifier): Promise<FhirResource | undefined> {
    return type === 'Patient'
      ? this.patients.readByIdentifier(identifier)
      : this.observations.readByIdentifier(identifier);
  }
}

/**
 * The entries, in order, as the steps they run in: consecutive creates of one type (new resources, distinct
 * by id, so no order between them) run up to PARALLEL_CREATES at a time; any other entry is a step alone.
 */
function steps(entries: readonly RequestEntry[]): RequestEntry[][] {
  const result: RequestEntry[][] = [];
  for (const entry of entries) {
    const last = result.at(-1);
    const joins =
      last !== undefined &&
      last.length < PARALLEL_CREATES &&
      entry.action === 'create' &&
      last[0].action === 'create' &&
      last[0].type === entry.type;
    if (joins) last.push(entry);
    else result.push([entry]);
  }
  return result;
}

/** A Patient's deletion cascades to its results, which a failed transaction could not bring back. */
function requireUndoable(entries: readonly RequestEntry[]): void {
  const issues = entries
    .filter((entry) => entry.action === 'delete' && entry.type === 'Patient')
    .map((entry) => ({
      path: `Bundle.entry[${entry.index}].request`,
      message: 'a Patient cannot be deleted in a transaction (its deletion cascades); use a batch',
    }));
  if (issues.length > 0) throw new InvalidInputError('The Bundle is invalid.', issues);
}

/** Every resource a transaction writes, as its single interaction would check it; all issues at once, by entry. */
async function validate(entries: readonly RequestEntry[]): Promise<void> {
  const issues: FieldIssue[] = [];
  for (const entry of entries) {
    const resource = resourceOf(entry);
    if (!resource) continue;
    try {
      if (entry.type === 'Patient') await fromFhirPatient(resource);
      else fromFhirObservation(resource);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      issues.push(...error.issues.map((issue) => entryIssue(entry, issue)));
    }
  }
  if (issues.length > 0) throw new FhirValidationError(issues);
}

function writtenResource(entry: RequestEntry): TouchedResource[] {
  const writes = entry.action === 'create' || entry.action === 'update' || entry.action === 'delete';
  return writes ? [{ type: entry.type, id: entry.id }] : [];
}

/** Throws the error of the entry a transaction failed on, pointing at the entry; others (a 500) as they are. */
function failedEntry(entry: RequestEntry, error: unknown): never {
  const failure = asDomainError(error);
  if (!(failure instanceof DomainError)) throw error;
  const issues = failure.issues.length
    ? failure.issues.map((issue) => (issue.path.startsWith('Bundle.') ? issue : entryIssue(entry, issue)))
    : [{ path: `Bundle.entry[${entry.index}]`, message: failure.message }];
  throw new TransactionEntryError(failure.kind, failure.message, issues);
}
