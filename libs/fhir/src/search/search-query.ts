import type { Identifier } from 'fhir/r4';
import { InvalidInputError, isRecordId } from '@hdp/platform';
import { RESULT_PARAMETERS } from '../http/result-shaping';
import { invalidSearch } from './searchset';

const MAX_COUNT = 100;
const MAX_VALUE = 512;

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** How one search parameter narrows the search being built. */
export type SearchParser<S> = (search: Mutable<S>, value: string, param: string) => void;

/**
 * How unknown parameters are handled (`Prefer: handling=strict|lenient`). The specification leaves the
 * default to the server: strict here, so a search is never silently wider than asked.
 */
export type Handling = 'strict' | 'lenient';

export function handlingOf(prefer: string | undefined): Handling {
  return /(?:^|[;,\s])handling=lenient\b/.test(prefer ?? '') ? 'lenient' : 'strict';
}

/**
 * Builds a search from a query with one parser per parameter. Parameters named in `repeatable` may be
 * given several times (each narrows further); the others once. Result parameters (`_format`, `_elements`)
 * are left to the HTTP layer. Empty or oversized values are a 400 naming the parameter; so are unknown
 * parameters and modifiers, unless `handling` is lenient: then they are left out and named in `ignored`.
 */
export function parseSearch<S>(
  query: Record<string, unknown>,
  parsers: Record<string, SearchParser<S>>,
  repeatable: readonly string[] = [],
  handling: Handling = 'strict',
): { search: S; ignored: string[] } {
  const search = {} as Mutable<S>;
  const ignored: string[] = [];
  for (const [param, given] of Object.entries(query)) {
    if (RESULT_PARAMETERS.has(param)) continue;
    const parse = Object.hasOwn(parsers, param) ? parsers[param] : undefined;
    if (!parse && handling === 'lenient') {
      ignored.push(param);
      continue;
    }
    if (!parse) throw invalidSearch(param, 'is not a supported search parameter or modifier');
    const values = Array.isArray(given) && repeatable.includes(param) ? (given as unknown[]) : [given];
    for (const value of values) {
      if (typeof value !== 'string') throw invalidSearch(param, 'must be given once');
      if (value === '' || value.length > MAX_VALUE)
        throw invalidSearch(param, 'must not be empty or oversized');
      parse(search, value, param);
    }
  }
  return { search, ignored };
}

/** `parseSearch` under strict handling: the search alone. */
export function parseSearchQuery<S>(
  query: Record<string, unknown>,
  parsers: Record<string, SearchParser<S>>,
  repeatable: readonly string[] = [],
): S {
  return parseSearch(query, parsers, repeatable).search;
}

/** `_count`: a page size from 1 to 100. */
export function parseCount(value: string, param: string): number {
  const count = /^\d{1,3}$/.test(value) ? Number(value) : 0;
  if (count < 1 || count > MAX_COUNT)
    throw invalidSearch(param, `must be a whole number from 1 to ${MAX_COUNT}`);
  return count;
}

/** A reference parameter naming a patient: `Patient/{id}` or `{id}`. */
export function patientParam(value: string, param: string): string {
  const id = value.startsWith('Patient/') ? value.slice('Patient/'.length) : value;
  if (!isRecordId(id)) throw invalidSearch(param, 'must reference a Patient by id');
  return id;
}

/**
 * A token parameter's comma-separated alternatives, each `system|code` or `code` (any system), as the keys
 * `keyOf` makes of them. An empty system or code is a 400 naming the parameter.
 */
export function tokenKeys(
  value: string,
  param: string,
  keyOf: (system: string | undefined, code: string) => string,
): string[] {
  return value.split(',').map((token) => {
    const bar = token.indexOf('|');
    const [system, code] = bar < 0 ? [undefined, token] : [token.slice(0, bar), token.slice(bar + 1)];
    if (code === '' || system === '') throw invalidSearch(param, 'must be system|code or code');
    return keyOf(system, code);
  });
}

/**
 * The `identifier=system|value` criterion of a conditional interaction (update by identifier, create with
 * If-None-Exist): the only criterion served, given once.
 */
export function identifierCriterion(query: Record<string, unknown>): Identifier {
  const { identifier } = query;
  const others = Object.keys(query).filter(
    (param) => param !== 'identifier' && !RESULT_PARAMETERS.has(param),
  );
  const [system, value] = typeof identifier === 'string' ? identifier.split('|') : [];
  if (others.length > 0 || !system || !value || identifier !== `${system}|${value}`) {
    throw new InvalidInputError('The conditional request is invalid.', [
      { path: 'identifier', message: 'a conditional request takes exactly one identifier=system|value' },
    ]);
  }
  return { system, value };
}

/** The criterion of an `If-None-Exist` header (`identifier=system|value`), as for `identifierCriterion`. */
export function ifNoneExistCriterion(header: string): Identifier {
  return identifierCriterion(Object.fromEntries(new URLSearchParams(header)));
}
