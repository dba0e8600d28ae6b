import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, isRecordId, RequestContextService, Role } from '@hdp/platform';
import { AuditAction, AuditEntry } from './audit-event';
import { AuditEntryRepository } from './audit-entry.repository';
import { AuditLedgerService } from './audit-ledger.service';
import { AuditVerifierService } from './audit-verifier.service';
import { AuditorRoleRequiredError, AuditUnauthenticatedError } from './audit.errors';
import { AuditEventPageDto, AuditEventResponseDto, AuditEventSearchDto } from './dto/audit-event-search.dto';
import { LedgerVerificationDto } from './dto/ledger-verification.dto';

const DEFAULT_LIMIT = 50;

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

  private async findPage(query: AuditEventSearchDto): Promise<AuditEventPageDto> {
    this.requireAuditor();
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = query.cursor ? decodeCursor(query.cursor, { at: 'number', id: 'string' }) : undefined;
    const { patient: patientId, actor: actorId, action, from, to } = query;
    const entries = await this.repository.search(
      { patientId, actorId, action, from, to, after: after && { at: new Date(after.at), id: after.id } },
      limit + 1,
    );
    const items = entries.slice(0, limit);
    const last = items.at(-1);
    const next =
      entries.length > limit && last ? encodeCursor({ at: last.at.getTime(), id: last.id }) : undefined;
    return { items: items.map(mapAuditEntry), next };
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
