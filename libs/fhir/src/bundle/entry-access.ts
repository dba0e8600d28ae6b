import { Injectable } from '@nestjs/common';
import { AuditAction, AuditLedgerService } from '@hdp/audit';
import { DomainError, ErrorKind, isRecordId, RequestContextService, scopesPermit } from '@hdp/platform';
import { EntryAction, RequestEntry, SCOPE_OF } from './bundle-entries';

/** An entry the caller's SMART scopes do not cover. */
export class EntryForbiddenError extends DomainError {
  readonly kind = ErrorKind.Forbidden;

  constructor(entry: RequestEntry) {
    super(`The token's scopes do not allow ${SCOPE_OF[entry.action]} on ${entry.type}.`, [
      { path: `Bundle.entry[${entry.index}]`, message: 'not allowed by the token scopes' },
    ]);
  }
}

const LEDGER_ACTION: Record<EntryAction, AuditAction> = {
  create: AuditAction.Create,
  update: AuditAction.Update,
  'conditional-update': AuditAction.Update,
  delete: AuditAction.Delete,
  read: AuditAction.Read,
  search: AuditAction.Search,
};

/** The resource type the ledger names for each Bundle resource type (test results are Observations). */
const AUDITED_AS: Record<RequestEntry['type'], string> = { Patient: 'Patient', Observation: 'TestResult' };

/**
 * The security pipeline's scope check, per Bundle entry: each needs the SMART scope of its resource type and
 * interaction, as the single interaction's route does (`patient/` scopes only with a patient in context; the
 * compartment is enforced by the services the entry runs through). A denial is in the ledger as the single
 * interaction's would be. Break-glass does not reach into Bundles: it opens one record, named in the URL.
 */
@Injectable()
export class EntryAccess {
  constructor(
    private readonly contexts: RequestContextService,
    private readonly ledger: AuditLedgerService,
  ) {}

  async authorise(entry: RequestEntry): Promise<void> {
    const principal = this.contexts.current()?.principal;
    const allowed =
      principal !== undefined &&
      scopesPermit(principal.scopes, entry.type, SCOPE_OF[entry.action], !!principal.patientId);
    if (allowed) return;
    const id = 'id' in entry && isRecordId(entry.id) ? entry.id : undefined;
    await this.ledger.record({
      action: LEDGER_ACTION[entry.action],
      resourceType: AUDITED_AS[entry.type],
      resourceId: entry.action === 'create' ? undefined : id,
      patientId: entry.type === 'Patient' && entry.action !== 'create' ? id : undefined,
      outcome: 403,
    });
    throw new EntryForbiddenError(entry);
  }
}
