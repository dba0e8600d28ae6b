import { GENDERS, normaliseForSearch, PatientCriteria } from '@hdp/patients';
import { isRecordId } from '@hdp/platform';
import { SearchParamDeclaration } from '../capabilities';
import { dateParam, pointCondition } from '../search/date-param';
import { Mutable, parseCount, parseSearchQuery, SearchParser } from '../search/search-query';
import { invalidSearch } from '../search/searchset';

export const PATIENT_SEARCH_PARAMS: readonly SearchParamDeclaration[] = [
  { name: '_id', type: 'token' },
  { name: 'identifier', type: 'token' },
  { name: 'name', type: 'string' },
  { name: 'family', type: 'string' },
  { name: 'given', type: 'string' },
  { name: 'birthdate', type: 'date' },
  { name: 'gender', type: 'token' },
  { name: '_lastUpdated', type: 'date' },
];

export interface PatientSearch extends PatientCriteria {
  readonly limit?: number;
  readonly cursor?: string;
}

/**
 * Each parameter and modifier, and how it narrows the search. String parameters match from the start,
 * case- and accent-insensitively; `:exact` as stored; `:contains` anywhere. Dates take the eq, ne, lt, le,
 * gt, ge, sa and eb prefixes and may be repeated (each narrows further). Anything else is refused (400),
 * so a search is never wider than asked.
 */
const PARSERS: Record<string, SearchParser<PatientSearch>> = {
  _id: (search, value, param) => {
    if (!isRecordId(value)) throw invalidSearch(param, 'must be a Patient id');
    search.id = value;
  },
  identifier: (search, value, param) => setIdentifier(search, value, param),
  name: (search, value, param) => (search.namePrefix = normalised(value, param)),
  family: (search, value, param) => (search.familyPrefix = normalised(value, param)),
  given: (search, value, param) => (search.givenPrefix = normalised(value, param)),
  'family:exact': (search, value) => (search.familyExact = value),
  'given:exact': (search, value) => (search.givenExact = value),
  'family:contains': (search, value, param) => (search.familyContains = normalised(value, param)),
  'given:contains': (search, value, param) => (search.givenContains = normalised(value, param)),
  birthdate: (search, value, param) => {
    const { prefix, range } = dateParam(value, param, { datesOnly: true });
    const condition = pointCondition(prefix, day(range.start), day(range.end));
    search.birthDates = [...(search.birthDates ?? []), condition];
  },
  gender: (search, value, param) => {
    if (!(GENDERS as readonly string[]).includes(value))
      throw invalidSearch(param, `must be one of ${GENDERS.join(', ')}`);
    search.gender = value;
  },
  _lastUpdated: (search, value, param) => {
    const { prefix, range } = dateParam(value, param);
    search.lastUpdated = [...(search.lastUpdated ?? []), pointCondition(prefix, range.start, range.end)];
  },
  _count: (search, value, param) => (search.limit = parseCount(value, param)),
  _cursor: (search, value) => (search.cursor = value),
};

/** A Patient search query as the patients lib's criteria. Throws InvalidInputError (400) naming the parameter. */
export function toPatientSearch(query: Record<string, unknown>): PatientSearch {
  return parseSearchQuery(query, PARSERS, ['birthdate', '_lastUpdated']);
}

/** `system|value`, `|value` (no system: this server holds none) or `value` in any system. */
function setIdentifier(search: Mutable<PatientSearch>, value: string, param: string): void {
  const bar = value.indexOf('|');
  if (bar < 0) {
    search.identifierValue = value;
    return;
  }
  const [system, identifier] = [value.slice(0, bar), value.slice(bar + 1)];
  if (identifier === '' || identifier.includes('|'))
    throw invalidSearch(param, 'must be system|value, |value or value');
  search.identifier = { system, value: identifier };
}

function normalised(value: string, param: string): string {
  const term = normaliseForSearch(value);
  if (term === '') throw invalidSearch(param, 'must hold a letter or digit');
  return term;
}

/** A UTC day as the record's birth dates are written: `YYYY-MM-DD`. */
const day = (instant: Date) => instant.toISOString().slice(0, 10);
