import type { HistoryPageQuery } from '@hdp/patients';
import { Mutable, parseCount, parseSearchQuery, SearchParser } from '../search/search-query';
import { invalidSearch } from '../search/searchset';

/** An instant: a dateTime to the second at least, with its time zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const PARSERS: Record<string, SearchParser<HistoryPageQuery>> = {
  _since: (page, value, param) => (page.since = instant(value, param)),
  _count: (page, value, param) => (page.limit = parseCount(value, param)),
  _cursor: (page, value) => (page.cursor = value),
  _format: () => undefined,
};

/** The parameters of a history interaction: `_since`, `_count` and the page cursor. Others are a 400. */
export function toHistoryPage(query: Record<string, unknown>): HistoryPageQuery {
  return parseSearchQuery<Mutable<HistoryPageQuery>>(query, PARSERS);
}

function instant(value: string, param: string): Date {
  const time = INSTANT.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(time)) throw invalidSearch(param, 'must be an instant with a time zone');
  return new Date(time);
}
