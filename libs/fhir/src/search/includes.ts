import type { Reference, Resource } from 'fhir/r4';
import { DomainError, ErrorKind } from '@hdp/platform';
import { invalidSearch } from './searchset';

/**
 * Takes `param` (`_include` or `_revinclude`) out of a search query: whether one of `allowed` was asked
 * (given once or repeated), and the query the search parameters are parsed from. Anything else asked is a
 * 400 naming the parameter, so a search never silently returns less than asked.
 */
export function takeInclude(
  query: Record<string, unknown>,
  param: '_include' | '_revinclude',
  allowed: readonly string[],
): { asked: boolean; rest: Record<string, unknown> } {
  const { [param]: given, ...rest } = query;
  if (given === undefined) return { asked: false, rest };
  const values = Array.isArray(given) ? (given as unknown[]) : [given];
  if (!values.every((value) => typeof value === 'string' && allowed.includes(value)))
    throw invalidSearch(param, `supported: ${allowed.join(', ')}`);
  return { asked: true, rest };
}

/** The distinct patient ids `references` point at (`Patient/{id}`). */
export function patientIdsOf(references: readonly (Reference | undefined)[]): string[] {
  const ids = references
    .map((reference) => reference?.reference)
    .filter((reference): reference is string => reference?.startsWith('Patient/') === true)
    .map((reference) => reference.slice('Patient/'.length));
  return [...new Set(ids)];
}

const NOT_INCLUDED = new Set([ErrorKind.NotFound, ErrorKind.Gone, ErrorKind.Forbidden]);

/**
 * Resolves each id to its resource through `read` (access-checked and audited as any read), leaving out
 * those the caller may not see or that are gone: an include adds what is visible, it never fails a search.
 */
export async function includable<R extends Resource>(
  ids: readonly string[],
  read: (id: string) => Promise<R>,
): Promise<R[]> {
  const found = await Promise.all(
    ids.map((id) =>
      read(id).catch((error: unknown) => {
        if (error instanceof DomainError && NOT_INCLUDED.has(error.kind)) return undefined;
        throw error;
      }),
    ),
  );
  return found.filter((resource): resource is Awaited<R> => resource !== undefined);
}
