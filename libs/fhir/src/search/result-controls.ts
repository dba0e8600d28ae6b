import type { SortOrder } from '@hdp/patients';
import { invalidSearch } from './searchset';

/**
 * `_total`: `accurate` counts every match; `none` never counts; `estimate` (and no `_total`) gives the
 * total only where it costs nothing: a first page that holds every match.
 */
export type TotalMode = 'accurate' | 'estimate' | 'none';

/** What a search asks of its result besides the matches: a sort, a total, or a count alone. */
export interface ResultControls<K extends string> {
  readonly sort?: SortOrder<K>;
  readonly total?: TotalMode;
  /** `_summary=count`: the total, no entries. */
  readonly countOnly?: boolean;
}

const TOTALS: readonly TotalMode[] = ['accurate', 'estimate', 'none'];

export function parseTotal(value: string, param: string): TotalMode {
  const total = TOTALS.find((mode) => mode === value);
  if (!total) throw invalidSearch(param, `supported: ${TOTALS.join(', ')}`);
  return total;
}

/** `_summary`: `count` (the total alone) or `false` (the whole resources, as without it). */
export function parseSummary(value: string, param: string): boolean {
  if (value !== 'count' && value !== 'false') throw invalidSearch(param, 'supported: count, false');
  return value === 'count';
}

/** A `_sort` of one of `keys` (parameter name to the store's sort key), descending with a leading `-`. */
export function parseSort<K extends string>(
  keys: Readonly<Record<string, K>>,
  value: string,
  param: string,
): SortOrder<K> {
  const descending = value.startsWith('-');
  const name = descending ? value.slice(1) : value;
  const key = Object.hasOwn(keys, name) ? keys[name] : undefined;
  if (!key)
    throw invalidSearch(param, `supported: one of ${Object.keys(keys).join(', ')}, with an optional -`);
  return { key, descending };
}

/**
 * The Bundle.total of a page: the store's count when `_total=accurate` asked for one, none under
 * `_total=none`, else the match count only when the first page holds every match.
 */
export function bundleTotal(
  mode: TotalMode | undefined,
  page: { readonly items: readonly unknown[]; readonly next?: string; readonly total?: number },
  firstPage: boolean,
): number | undefined {
  if (mode === 'none') return undefined;
  if (mode === 'accurate') return page.total;
  return firstPage && page.next === undefined ? page.items.length : undefined;
}
