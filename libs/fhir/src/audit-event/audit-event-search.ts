import type { AuditEntryFilter } from '@hdp/audit';
import { dateRange } from '@hdp/patients';
import { SearchParamDeclaration } from '../capabilities';
import { Mutable, parseCount, parseSearchQuery, patientParam, SearchParser } from '../search/search-query';
import { invalidSearch } from '../search/searchset';
import { ledgerActionsOf } from './audit-event.mapper';

export const AUDIT_EVENT_SEARCH_PARAMS: readonly SearchParamDeclaration[] = [
  { name: 'patient', type: 'reference' },
  { name: 'agent', type: 'reference' },
  { name: 'date', type: 'date' },
  { name: 'action', type: 'token' },
  { name: 'outcome', type: 'token' },
];

export interface AuditEventSearch extends AuditEntryFilter {
  readonly limit?: number;
  readonly cursor?: string;
}

/** The HTTP statuses each FHIR outcome code stands for, as [min, max). */
const OUTCOMES: Record<string, { min: number; max: number }> = {
  '0': { min: 0, max: 400 },
  '4': { min: 400, max: 500 },
  '8': { min: 500, max: 1000 },
};

const PARSERS: Record<string, SearchParser<AuditEventSearch>> = {
  patient: (search, value, param) => (search.patientId = patientParam(value, param)),
  agent: (search, value, param) => {
    if (!/^[\w.:@-]{1,128}$/.test(value)) throw invalidSearch(param, 'must be a principal id');
    search.actorId = value;
  },
  date: (search, value, param) => narrowByDate(search, value, param),
  action: (search, value, param) => {
    const actions = value.split(',').flatMap(ledgerActionsOf);
    if (actions.length === 0) throw invalidSearch(param, 'must be C, R, U, D or E');
    search.actions = actions;
  },
  outcome: (search, value, param) => {
    const outcome = OUTCOMES[value];
    if (!outcome) throw invalidSearch(param, 'must be 0, 4 or 8');
    search.outcome = outcome;
  },
  _count: (search, value, param) => (search.limit = parseCount(value, param)),
  _cursor: (search, value) => (search.cursor = value),
  _format: () => undefined,
};

/** An AuditEvent search query as a ledger filter. Throws InvalidInputError (400) naming the parameter. */
export function toAuditEventSearch(query: Record<string, unknown>): AuditEventSearch {
  return parseSearchQuery(query, PARSERS, ['date']);
}

/**
 * Narrows the recorded instant T by a date parameter whose own range is P = [ps, pe) (a partial date is its
 * whole day, month or year): eq: ps <= T < pe; lt: T < ps; le: T < pe; gt: T >= pe; ge: T >= ps.
 */
function narrowByDate(search: Mutable<AuditEventSearch>, value: string, param: string): void {
  const [, prefix = 'eq', date] = /^([a-z]{2})?(.*)$/.exec(value) ?? [];
  const range = date === undefined ? undefined : dateRange(date);
  if (!range || !['eq', 'lt', 'le', 'gt', 'ge'].includes(prefix))
    throw invalidSearch(param, 'must be a date, dateTime or instant, with an eq, lt, le, gt or ge prefix');
  const from = { eq: range.start, ge: range.start, gt: range.end }[prefix as 'eq' | 'ge' | 'gt'];
  const to = { eq: range.end, lt: range.start, le: range.end }[prefix as 'eq' | 'lt' | 'le'];
  if (from && (!search.from || from > search.from)) search.from = from;
  if (to && (!search.to || to < search.to)) search.to = to;
}
