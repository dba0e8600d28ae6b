import { dateRange, EffectiveCondition, ObservationSearch, RESULT_STATUSES, tokenOf } from '@hdp/patients';
import { SearchParamDeclaration } from '../capabilities';
import {
  Mutable,
  parseCount,
  parseSearchQuery,
  patientParam,
  SearchParser,
  tokenKeys,
} from '../search/search-query';
import { invalidSearch } from '../search/searchset';

export const OBSERVATION_SEARCH_PARAMS: readonly SearchParamDeclaration[] = [
  { name: 'subject', type: 'reference' },
  { name: 'patient', type: 'reference' },
  { name: 'code', type: 'token' },
  { name: 'category', type: 'token' },
  { name: 'date', type: 'date' },
  { name: 'status', type: 'token' },
  { name: 'device', type: 'reference' },
];

/**
 * Each parameter and how it narrows the search. `date` may be repeated (each narrows further); the others
 * are given once, with comma-separated alternatives for tokens. Unknown parameters and modifiers are refused.
 */
const PARSERS: Record<string, SearchParser<ObservationSearch>> = {
  subject: (search, value, param) => setPatient(search, value, param),
  patient: (search, value, param) => setPatient(search, value, param),
  code: (search, value, param) => (search.codeTokens = tokenKeys(value, param, tokenOf)),
  category: (search, value, param) => (search.categoryTokens = tokenKeys(value, param, tokenOf)),
  status: (search, value, param) => (search.statuses = statusesOf(value, param)),
  'code:not': (search, value, param) => not(search, 'codeTokens', tokenKeys(value, param, tokenOf)),
  'category:not': (search, value, param) => not(search, 'categoryTokens', tokenKeys(value, param, tokenOf)),
  'status:not': (search, value, param) => not(search, 'statuses', statusesOf(value, param)),
  'category:missing': (search, value, param) => missing(search, 'category', value, param),
  'device:missing': (search, value, param) => missing(search, 'device', value, param),
  device: (search, value) => (search.device = value),
  date: (search, value, param) =>
    (search.effective = [...(search.effective ?? []), dateCondition(value, param)]),
  _count: (search, value, param) => (search.limit = parseCount(value, param)),
  _cursor: (search, value) => (search.cursor = value),
};

/** An Observation search query as the test results' search. Throws InvalidInputError (400) naming the parameter. */
export function toObservationSearch(query: Record<string, unknown>): ObservationSearch {
  return parseSearchQuery(query, PARSERS, ['date']);
}

function statusesOf(value: string, param: string): string[] {
  const statuses = value.split(',');
  if (!statuses.every((status) => (RESULT_STATUSES as readonly string[]).includes(status)))
    throw invalidSearch(param, 'must be Observation status codes');
  return statuses;
}

function not(
  search: Mutable<ObservationSearch>,
  field: keyof NonNullable<ObservationSearch['not']>,
  values: string[],
): void {
  search.not = { ...search.not, [field]: values };
}

function missing(
  search: Mutable<ObservationSearch>,
  element: keyof NonNullable<ObservationSearch['missing']>,
  value: string,
  param: string,
): void {
  if (value !== 'true' && value !== 'false') throw invalidSearch(param, 'must be true or false');
  search.missing = { ...search.missing, [element]: value === 'true' };
}

function setPatient(search: Mutable<ObservationSearch>, value: string, param: string): void {
  const id = patientParam(value, param);
  if (search.patientId !== undefined && search.patientId !== id)
    throw invalidSearch(param, 'subject and patient must name the same patient');
  search.patientId = id;
}

/**
 * A date parameter as a condition on the result's effective range T = [start, end), with the parameter's
 * own range P = [ps, pe) (a partial date is its whole day, month or year), as the FHIR spec compares them:
 * eq: P contains T; lt: T starts before P; le: T starts before P ends; gt: T ends after P; ge: T ends after P starts.
 */
export function dateCondition(value: string, param: string): EffectiveCondition {
  const [, prefix = 'eq', date] = /^([a-z]{2})?(.*)$/.exec(value) ?? [];
  const range = date === undefined ? undefined : dateRange(date);
  if (!range)
    throw invalidSearch(param, 'must be a date, dateTime or instant, with an eq, lt, le, gt or ge prefix');
  switch (prefix) {
    case 'eq':
      return { start: { $gte: range.start }, end: { $lte: range.end } };
    case 'lt':
      return { start: { $lt: range.start } };
    case 'le':
      return { start: { $lt: range.end } };
    case 'gt':
      return { end: { $gt: range.end } };
    case 'ge':
      return { end: { $gt: range.start } };
    default:
      throw invalidSearch(param, 'supported prefixes are eq, lt, le, gt and ge');
  }
}
