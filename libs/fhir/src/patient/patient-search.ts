import { GENDERS, normaliseForSearch, PatientCriteria, PatientElement, PatientSortKey } from '@hdp/patients';
import { isRecordId } from '@hdp/platform';
import { SearchParamDeclaration } from '../capabilities';
import { anyDate, pointCondition } from '../search/date-param';
import { parseSort, parseSummary, parseTotal, ResultControls } from '../search/result-controls';
import { Handling, Mutable, parseCount, parseSearch, SearchParser } from '../search/search-query';
import { invalidSearch, missingParam } from '../search/searchset';

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

/** `_sort` keys: the search parameter's name to the patients lib's sort key. */
export const PATIENT_SORTS: Readonly<Record<string, PatientSortKey>> = {
  birthdate: 'birthDate',
  family: 'family',
  _lastUpdated: 'updatedAt',
};

export interface PatientSearch extends PatientCriteria, ResultControls<PatientSortKey> {
  readonly limit?: number;
  readonly cursor?: string;
}

/** The elements `:missing` may be asked of, by parameter. */
const MISSING: Readonly<Record<string, PatientElement>> = {
  'gender:missing': 'gender',
  'birthdate:missing': 'birthDate',
  'family:missing': 'family',
  'given:missing': 'given',
  'identifier:missing': 'identifier',
};

/**
 * Each parameter and modifier, and how it narrows the search. String parameters match from the start,
 * case- and accent-insensitively; `:exact` as stored; `:contains` anywhere. Dates take the eq, ne, lt, le,
 * gt, ge, sa, eb and ap prefixes and comma alternatives, and may be repeated (each narrows further).
 * Anything else is refused (400) under strict handling, so a search is never wider than asked.
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
    const condition = anyDate(
      value,
      param,
      (prefix, range) => pointCondition(prefix, day(range.start), day(range.end)),
      { datesOnly: true },
    );
    search.birthDates = [...(search.birthDates ?? []), condition];
  },
  gender: (search, value, param) => (search.genders = gendersOf(value, param)),
  'gender:not': (search, value, param) => (search.notGenders = gendersOf(value, param)),
  ...Object.fromEntries(
    Object.entries(MISSING).map(([name, element]) => [
      name,
      (search: Mutable<PatientSearch>, value: string, param: string) =>
        (search.missing = { ...search.missing, [element]: missingParam(value, param) }),
    ]),
  ),
  _lastUpdated: (search, value, param) => {
    const condition = anyDate(value, param, (prefix, range) =>
      pointCondition(prefix, range.start, range.end),
    );
    search.lastUpdated = [...(search.lastUpdated ?? []), condition];
  },
  _sort: (search, value, param) => (search.sort = parseSort(PATIENT_SORTS, value, param)),
  _total: (search, value, param) => (search.total = parseTotal(value, param)),
  _summary: (search, value, param) => (search.countOnly = parseSummary(value, param)),
  _count: (search, value, param) => (search.limit = parseCount(value, param)),
  _cursor: (search, value) => (search.cursor = value),
};

/**
 * A Patient search query as the patients lib's criteria, and the unknown parameters lenient handling
 * ignored. Throws InvalidInputError (400) naming the parameter.
 */
export function toPatientSearch(
  query: Record<string, unknown>,
  handling?: Handling,
): { search: PatientSearch; ignored: string[] } {
  return parseSearch(query, PARSERS, ['birthdate', '_lastUpdated'], handling);
}

/** Comma-separated genders, any of which matches. */
function gendersOf(value: string, param: string): string[] {
  const genders = value.split(',');
  if (!genders.every((gender) => (GENDERS as readonly string[]).includes(gender)))
    throw invalidSearch(param, `must be one or more of ${GENDERS.join(', ')}`);
  return genders;
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
