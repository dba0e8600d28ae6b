import { Param, Query } from '@nestjs/common';
import type { AuditEvent, Bundle } from 'fhir/r4';
import { AuditEventsService } from '@hdp/audit';
import { RequireRole, Role } from '@hdp/platform';
import { FhirInteraction, FhirResource } from '../capabilities';
import { FhirBaseUrl } from '../http/fhir-base-url.decorator';
import { searchsetBundle } from '../search/searchset';
import { toFhirAuditEvent } from './audit-event.mapper';
import { AUDIT_EVENT_SEARCH_PARAMS, toAuditEventSearch } from './audit-event-search';

const DEFAULT_COUNT = 50;

/** `/fhir/R4/AuditEvent`: a read-only FHIR view of the audit ledger, for auditors only. */
@FhirResource('AuditEvent')
@RequireRole(Role.Auditor)
export class FhirAuditEventController {
  constructor(private readonly events: AuditEventsService) {}

  @FhirInteraction('AuditEvent', 'read')
  async read(@Param('id') id: string): Promise<AuditEvent> {
    const { entries } = await this.events.findEntries({ id: id.slice(0, 64) }, 1);
    return toFhirAuditEvent(entries[0]);
  }

  @FhirInteraction('AuditEvent', 'search-type', AUDIT_EVENT_SEARCH_PARAMS)
  async search(@FhirBaseUrl() base: string, @Query() query: Record<string, unknown>): Promise<Bundle> {
    const { limit, cursor, ...filter } = toAuditEventSearch(query);
    const page = await this.events.findEntries(filter, limit ?? DEFAULT_COUNT, cursor);
    return searchsetBundle(base, 'AuditEvent', query, page.entries.map(toFhirAuditEvent), page.next);
  }
}
