import { EncounterSearch, identifierSearchKey, tokenOf } from '@hdp/patients';
import { SearchParamDeclaration } from '../capabilities';
import { dateCondition } from '../observation/observation-search';
import { parseCount, parseSearchQuery, patientParam, SearchParser, tokenKeys } from '../search/search-query';
import { invalidSearch } from '../search/searchset';
import { ENCOUNTER_STATUSES } from './encounter.mapper';

export const ENCOUNTER_SEARCH_PARAMS: readonly SearchParamDeclaration[] = [
  { name: 'identifier', type: 'token' },
  { name: 'patient', type: 'reference' },
  { name: 'subject', type: 'reference' },
  { name: 'status', type: 'token' },
  { name: 'class', type: 'token' },
  { name: 'date', type: 'date' },
];

const setPatient: SearchParser<EncounterSearch> = (search, value, param) => {
  const id = patientParam(value, param);
  if (search.patientId !== undefined && search.patientId !== id)
    throw invalidSearch(param, 'subject and patient must name the same patient');
  search.patientId = id;
};

/**
 * Each parameter and how it narrows the search. `date` (over the period) may be repeated; the others are
 * given once, with comma-separated alternatives for tokens. Unknown parameters and modifiers are refused.
 */
const PARSERS: Record<string, SearchParser<EncounterSearch>> = {
  identifier: (search, value, param) =>
    (search.identifierKeys = tokenKeys(value, param, identifierSearchKey)),
  patient: setPatient,
  subject: setPatient,
  status: (search, value, param) => {
    const statuses = value.split(',');
    if (!statuses.every((status) => ENCOUNTER_STATUSES.includes(status)))
      throw invalidSearch(param, 'must be Encounter status codes');
    search.statuses = statuses;
  },
  class: (search, value, param) => (search.classTokens = tokenKeys(value, param, tokenOf)),
  date: (search, value, param) => (search.period = [...(search.period ?? []), dateCondition(value, param)]),
  _count: (search, value, param) => (search.limit = parseCount(value, param)),
  _cursor: (search, value) => (search.cursor = value),
  _format: () => undefined,
};

/** An Encounter search query as the encounters' search. Throws InvalidInputError (400) naming the parameter. */
export function toEncounterSearch(query: Record<string, unknown>): EncounterSearch {
  return parseSearchQuery(query, PARSERS, ['date']);
}
