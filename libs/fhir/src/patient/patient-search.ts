import { PatientSearchDto, validateDto } from '@hdp/patients';
import { DomainError, InvalidInputError } from '@hdp/platform';
import { RESULT_PARAMETERS } from '../http/result-shaping';
import { invalidSearch } from '../search/searchset';
import { SearchParamDeclaration } from '../capabilities';

export const PATIENT_SEARCH_PARAMS: readonly SearchParamDeclaration[] = [
  { name: 'identifier', type: 'token' },
  { name: 'family', type: 'string' },
  { name: 'given', type: 'string' },
  { name: 'birthdate', type: 'date' },
  { name: 'gender', type: 'token' },
];

/** Result-control parameters a search accepts besides its search parameters. */
const CONTROL = { _count: 'limit', _cursor: 'cursor' } as const;
const FIELD_BY_PARAM: Record<string, keyof PatientSearchDto> = {
  identifier: 'identifier',
  family: 'family',
  given: 'given',
  birthdate: 'birthDate',
  gender: 'gender',
};
const PARAM_BY_FIELD = Object.fromEntries(
  Object.entries(FIELD_BY_PARAM).map(([param, field]) => [field, param]),
);

/**
 * A Patient search query as the patients lib's search. Unknown or repeated parameters and unsupported
 * modifiers or prefixes are refused (400) rather than ignored, so a search is never wider than asked.
 */
export async function toPatientSearch(query: Record<string, unknown>): Promise<PatientSearchDto> {
  const search: Record<string, unknown> = {};
  for (const [param, value] of Object.entries(query)) {
    if (RESULT_PARAMETERS.has(param)) continue;
    if (typeof value !== 'string') throw invalidSearch(param, 'must be given once');
    if (Object.hasOwn(CONTROL, param)) {
      search[CONTROL[param as keyof typeof CONTROL]] = value;
      continue;
    }
    const field = Object.hasOwn(FIELD_BY_PARAM, param) ? FIELD_BY_PARAM[param] : undefined;
    if (!field)
      throw invalidSearch(param, 'is not a supported search parameter (modifiers are not supported)');
    search[field] = field === 'birthDate' ? exactDate(value) : value;
  }
  try {
    return await validateDto(PatientSearchDto, search);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw new InvalidInputError(
      'The search is invalid.',
      error.issues.map(({ path, message }) => ({
        path: PARAM_BY_FIELD[path] ?? controlParam(path),
        message,
      })),
    );
  }
}

/** Only `eq` (or no prefix) is served: the record lib matches birth dates exactly. */
function exactDate(value: string): string {
  const date = value.startsWith('eq') ? value.slice(2) : value;
  if (/^[a-z]{2}/.test(date)) throw invalidSearch('birthdate', 'only the eq prefix is supported');
  return date;
}

function controlParam(field: string): string {
  return Object.entries(CONTROL).find(([, value]) => value === field)?.[0] ?? field;
}
