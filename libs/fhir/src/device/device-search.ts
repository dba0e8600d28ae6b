import { DeviceSearch, identifierSearchKey } from '@hdp/patients';
import { SearchParamDeclaration } from '../capabilities';
import { parseCount, parseSearchQuery, patientParam, SearchParser, tokenKeys } from '../search/search-query';

export const DEVICE_SEARCH_PARAMS: readonly SearchParamDeclaration[] = [
  { name: 'identifier', type: 'token' },
  { name: 'patient', type: 'reference' },
];

/** Each parameter, given once; `identifier` takes comma-separated alternatives. Anything else is refused. */
const PARSERS: Record<string, SearchParser<DeviceSearch>> = {
  identifier: (search, value, param) =>
    (search.identifierKeys = tokenKeys(value, param, identifierSearchKey)),
  patient: (search, value, param) => (search.patientId = patientParam(value, param)),
  _count: (search, value, param) => (search.limit = parseCount(value, param)),
  _cursor: (search, value) => (search.cursor = value),
  _format: () => undefined,
};

/** A Device search query as the devices' search. Throws InvalidInputError (400) naming the parameter. */
export function toDeviceSearch(query: Record<string, unknown>): DeviceSearch {
  return parseSearchQuery(query, PARSERS);
}
