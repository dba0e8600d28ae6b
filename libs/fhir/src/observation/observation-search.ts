import {
  DateRange,
  EffectiveCondition,
  ObservationSearch,
  QuantityCondition,
  RESULT_STATUSES,
  ResultSortKey,
  tokenOf,
} from '@hdp/patients';
import { SearchParamDeclaration } from '../capabilities';
import { anyDate, DatePrefix, dateParam, pointCondition } from '../search/date-param';
import { quantityParam } from '../search/quantity-param';
import { parseSort, parseSummary, parseTotal, ResultControls } from '../search/result-controls';
import {
  Handling,
  Mutable,
  parseCount,
  parseSearch,
  patientParam,
  SearchParser,
  tokenKeys,
} from '../search/search-query';
import { invalidSearch, missingParam } from '../search/searchset';

export const OBSERVATION_SEARCH_PARAMS: readonly SearchParamDeclaration[] = [
  { name: 'subject', type: 'reference' },
  { name: 'patient', type: 'reference' },
  { name: 'code', type: 'token' },
  { name: 'category', type: 'token' },
  { name: 'date', type: 'date' },
  { name: 'status', type: 'token' },
  { name: 'device', type: 'reference' },
  { name: 'value-quantity', type: 'quantity' },
  { name: '_lastUpdated', type: 'date' },
];

/** `_sort` keys: the search parameter's name to the test results' sort key. */
export const OBSERVATION_SORTS: Readonly<Record<string, ResultSortKey>> = {
  date: 'effectiveStart',
  _lastUpdated: 'updatedAt',
};

export interface ObservationQuery
  extends Omit<ObservationSearch, 'sort' | 'count'>, ResultControls<ResultSortKey> {}

/**
 * Each parameter and how it narrows the search. Tokens and dates take comma-separated alternatives; `code`,
 * `category`, `date`, `_lastUpdated` and `value-quantity` may be repeated (each narrows further), the others
 * are given once. Unknown parameters and modifiers are refused under strict handling.
 */
const PARSERS: Record<string, SearchParser<ObservationQuery>> = {
  subject: (search, value, param) => setPatient(search, value, param),
  patient: (search, value, param) => setPatient(search, value, param),
  code: (search, value, param) => addTokens(search, 'codeTokens', tokenKeys(value, param, tokenOf)),
  category: (search, value, param) => addTokens(search, 'categoryTokens', tokenKeys(value, param, tokenOf)),
  status: (search, value, param) => (search.statuses = statusesOf(value, param)),
  'code:not': (search, value, param) => not(search, 'codeTokens', tokenKeys(value, param, tokenOf)),
  'category:not': (search, value, param) => not(search, 'categoryTokens', tokenKeys(value, param, tokenOf)),
  'status:not': (search, value, param) => not(search, 'statuses', statusesOf(value, param)),
  'category:missing': (search, value, param) => missing(search, 'category', value, param),
  'device:missing': (search, value, param) => missing(search, 'device', value, param),
  'value-quantity:missing': (search, value, param) => missing(search, 'valueQuantity', value, param),
  device: (search, value) => (search.device = value),
  date: (search, value, param) =>
    (search.effective = [...(search.effective ?? []), anyDate(value, param, effectiveCondition)]),
  'value-quantity': (search, value, param) =>
    (search.valueQuantity = [...(search.valueQuantity ?? []), quantityCondition(value, param)]),
  _lastUpdated: (search, value, param) => {
    const condition = anyDate(value, param, (prefix, range) =>
      pointCondition(prefix, range.start, range.end),
    );
    search.lastUpdated = [...(search.lastUpdated ?? []), condition];
  },
  _sort: (search, value, param) => (search.sort = parseSort(OBSERVATION_SORTS, value, param)),
  _total: (search, value, param) => (search.total = parseTotal(value, param)),
  _summary: (search, value, param) => (search.countOnly = parseSummary(value, param)),
  _count: (search, value, param) => (search.limit = parseCount(value, param)),
  _cursor: (search, value) => (search.cursor = value),
};

/**
 * An Observation search query as the test results' search, and the unknown parameters lenient handling
 * ignored. Throws InvalidInputError (400) naming the parameter.
 */
export function toObservationSearch(
  query: Record<string, unknown>,
  handling?: Handling,
): { search: ObservationQuery; ignored: string[] } {
  return parseSearch(
    query,
    PARSERS,
    ['code', 'category', 'date', '_lastUpdated', 'value-quantity'],
    handling,
  );
}

function statusesOf(value: string, param: string): string[] {
  const statuses = value.split(',');
  if (!statuses.every((status) => (RESULT_STATUSES as readonly string[]).includes(status)))
    throw invalidSearch(param, 'must be Observation status codes');
  return statuses;
}

/** A token parameter's alternatives; given again, it narrows further (every repetition must match). */
function addTokens(
  search: Mutable<ObservationQuery>,
  field: 'codeTokens' | 'categoryTokens',
  tokens: string[],
): void {
  if (search[field] === undefined) search[field] = tokens;
  else search.alsoTokens = [...(search.alsoTokens ?? []), { field, anyOf: tokens }];
}

function not(
  search: Mutable<ObservationQuery>,
  field: keyof NonNullable<ObservationQuery['not']>,
  values: string[],
): void {
  search.not = { ...search.not, [field]: values };
}

function missing(
  search: Mutable<ObservationQuery>,
  element: keyof NonNullable<ObservationQuery['missing']>,
  value: string,
  param: string,
): void {
  search.missing = { ...search.missing, [element]: missingParam(value, param) };
}

function setPatient(search: Mutable<ObservationQuery>, value: string, param: string): void {
  const id = patientParam(value, param);
  if (search.patientId !== undefined && search.patientId !== id)
    throw invalidSearch(param, 'subject and patient must name the same patient');
  search.patientId = id;
}

/**
 * A date prefix and range P = [ps, pe) (a partial date is its whole day, month or year) as a condition on
 * the result's effective range T = [start, end), as the FHIR spec compares ranges: eq: P contains T; ne: it
 * does not; lt: T starts before P; le: T starts before P ends; gt: T ends after P; ge: T ends after P starts;
 * sa: T starts after P ends; eb: T ends before P starts; ap: T overlaps P widened (see dateParam).
 */
export function effectiveCondition(prefix: DatePrefix, { start, end }: DateRange): EffectiveCondition {
  switch (prefix) {
    case 'eq':
      return { start: { $gte: start }, end: { $lte: end } };
    case 'ne':
      return { anyOf: [{ start: { $lt: start } }, { end: { $gt: end } }] };
    case 'lt':
      return { start: { $lt: start } };
    case 'le':
      return { start: { $lt: end } };
    case 'gt':
      return { end: { $gt: end } };
    case 'ge':
      return { end: { $gt: start } };
    case 'sa':
      return { start: { $gte: end } };
    case 'eb':
      return { end: { $lte: start } };
    case 'ap':
      return { start: { $lt: end }, end: { $gt: start } };
  }
}

/**
 * One date value as a condition on an effective range, for stores that take bounds on its start and end
 * only (no alternatives): every prefix but `ne`.
 */
export function dateCondition(value: string, param: string): EffectiveCondition {
  const { prefix, range } = dateParam(value, param);
  if (prefix === 'ne') throw invalidSearch(param, 'supported prefixes are eq, lt, le, gt, ge, sa, eb and ap');
  return effectiveCondition(prefix, range);
}

/** `value-quantity`: a prefixed number, then optionally `|system|code` (an empty system: any). */
function quantityCondition(value: string, param: string): QuantityCondition {
  const [number = '', system, code, ...extra] = value.split('|');
  if (extra.length > 0 || (system !== undefined && code === undefined) || code === '')
    throw invalidSearch(param, 'must be [prefix]number, [prefix]number|system|code or [prefix]number||code');
  return {
    value: quantityParam(number, param),
    ...(system ? { system } : {}),
    ...(code !== undefined ? { code } : {}),
  };
}
