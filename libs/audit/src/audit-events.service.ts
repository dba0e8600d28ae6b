import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, isRecordId, RequestContextService, Role } from '@hdp/platform';
import { AuditAction, AuditEntry } from './audit-event';
import { AuditEntryFilter, AuditEntryRepository } from './audit-entry.repository';
import { AuditLedgerService } from './audit-ledger.service';
import { AuditVerifierService } from './audit-verifier.service';
import { AuditEntryNotFoundError, AuditorRoleRequiredError, AuditUnauthenticatedError } from './audit.errors';
import { AuditEventPageDto, AuditEventResponseDto, AuditEventSearchDto } from './dto/audit-event-search.dto';
import { LedgerVerificationDto } from './dto/ledger-verification.dto';

const DEFAULT_LIMIT = 50;

export interface AuditEntryPage {
  readonly entries: readonly AuditEntry[];
  readonly next?: string;
}

/** The auditors' face of the ledger: search and verification, both themselves audited. */
@Injectable()
export class AuditEventsService {
  constructor(
    private readonly contexts: RequestContextService,
    private readonly repository: AuditEntryRepository,
    private readonly ledger: AuditLedgerService,
    private readonly verifier: AuditVerifierService,
  ) {}

  search(query: AuditEventSearchDto): Promise<AuditEventPageDto> {
    // The filter is recorded only when it has the shape of a record id, so no identifier lands in the ledger.
    const patientId = isRecordId(query.patient) ? query.patient : undefined;
    const event = { action: AuditAction.Search, resourceType: 'AuditEvent', patientId };
    return this.ledger.read(
      event,
      () => this.findPage(query),
      (page) => page.items.length,
    );
  }

  verify(): Promise<LedgerVerificationDto> {
    return this.ledger.read({ action: AuditAction.Verify, resourceType: 'AuditLedger' }, () => {
      this.requireAuditor();
      return this.verifier.verify();
    });
  }

  /** Ledger entries for the FHIR AuditEvent view: auditors only, audited as a search (or a read by id). */
  findEntries(filter: AuditEntryFilter, limit: number, cursor?: string): Promise<AuditEntryPage> {
    const patientId = isRecordId(filter.patientId) ? filter.patientId : undefined;
    const action = filter.id === undefined ? AuditAction.Search : AuditAction.Read;
    const event = { action, resourceType: 'AuditEvent', resourceId: filter.id, patientId };
    return this.ledger.read(
      event,
      async () => {
        this.requireAuditor();
        const page = await this.page(filter, limit, cursor);
        if (filter.id !== undefined && page.entries.length === 0) throw new AuditEntryNotFoundError();
        return page;
      },
      (page) => page.entries.length,
    );
  }

  private async findPage(query: AuditEventSearchDto): Promise<AuditEventPageDto> {
    this.requireAuditor();
    const { patient: patientId, actor: actorId, action, from, to } = query;
    const filter = { patientId, actorId, actions: action && [action], from, to };
    const { entries, next } = await this.page(filter, query.limit ?? DEFAULT_LIMIT, query.cursor);
    return { items: entries.map(mapAuditEntry), next };
  }

  private async page(filter: AuditEntryFilter, limit: number, cursor?: string): Promise<AuditEntryPage> {
    const after = cursor ? decodeCursor(cursor, { at: 'number', id: 'string' }) : undefined;
    const found = await this.repository.search(
      { ...filter, after: after && { at: new Date(after.at), id: after.id } },
      limit + 1,
    );
    const entries = found.slice(0, limit);
    const last = entries.at(-1);
    const next =
      found.length > limit && last ? encodeCursor({ at: last.at.getTime(), id: last.id }) : undefined;
    return { entries, next };
  }

  private requireAuditor(): void {
    const principal = this.contexts.current()?.principal;
    if (!principal) throw new AuditUnauthenticatedError();
    if (!principal.roles.includes(Role.Auditor)) throw new AuditorRoleRequiredError();
  }
}

function mapAuditEntry(entry: AuditEntry): AuditEventResponseDto {
  return {
    id: entry.id,
    chain: entry.chain,
    sequence: entry.seq,
    timestamp: entry.at.toISOString(),
    actor: { id: entry.actor.id, clientId: entry.actor.clientId, roles: [...entry.actor.roles] },
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId,
    patientId: entry.patientId,
    outcome: entry.outcome,
    count: entry.count,
    clientAddress: entry.clientAddress,
    userAgent: entry.userAgent,
    correlationId: entry.correlationId,
    purposeOfUse: entry.purposeOfUse,
    breakGlassReason: entry.breakGlassReason,
    keyId: entry.keyId,
  };
}
