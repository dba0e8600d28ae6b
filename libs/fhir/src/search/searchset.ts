import type { Bundle, BundleLink, FhirResource, OperationOutcome } from 'fhir/r4';
import { InvalidInputError } from '@hdp/platform';

const safeName = (param: string) => (/^[\w.:-]{1,64}$/.test(param) ? param : 'query');

/** A refused search (400) naming the parameter, or `query` when its name is not safe to echo. */
export function invalidSearch(param: string, message: string): InvalidInputError {
  return new InvalidInputError('The search is invalid.', [{ path: safeName(param), message }]);
}

/** A `:missing` value: true (the element is absent) or false (present). */
export function missingParam(value: string, param: string): boolean {
  if (value !== 'true' && value !== 'false') throw invalidSearch(param, 'must be true or false');
  return value === 'true';
}

/** What a searchset says besides its matches: the total, and the parameters it ignored (lenient handling). */
export interface SearchsetExtras {
  readonly total?: number;
  readonly ignored?: readonly string[];
}

/**
 * A searchset Bundle of one page of `type`, with `self` and (when there is more) `next` links carrying the
 * query's parameters (repeated ones repeated, ignored ones left out) and the page cursor; `included`
 * resources (from `_include` or `_revinclude`) follow the matches, and an OperationOutcome naming the
 * ignored parameters comes last.
 */
export function searchsetBundle(
  base: string,
  type: string,
  query: Record<string, unknown>,
  resources: readonly FhirResource[],
  next: string | undefined,
  included: readonly FhirResource[] = [],
  { total, ignored = [] }: SearchsetExtras = {},
): Bundle {
  const used = Object.fromEntries(Object.entries(query).filter(([param]) => !ignored.includes(param)));
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(total !== undefined ? { total } : {}),
    link: pageLinks(`${base}/${type}`, used, next),
    entry: [
      ...resources.map((resource) => entry(base, resource, 'match')),
      ...included.map((resource) => entry(base, resource, 'include')),
      ...(ignored.length > 0
        ? [{ resource: ignoredOutcome(ignored), search: { mode: 'outcome' as const } }]
        : []),
    ],
  };
}

/** `_summary=count`: the total alone, no entries (bar the outcome of ignored parameters). */
export function countBundle(
  base: string,
  type: string,
  query: Record<string, unknown>,
  total: number,
  ignored: readonly string[] = [],
): Bundle {
  const { entry, ...bundle } = searchsetBundle(base, type, query, [], undefined, [], { total, ignored });
  return entry && entry.length > 0 ? { ...bundle, entry } : bundle;
}

/** Names only parameters whose names are safe to echo, as `invalidSearch` does. */
function ignoredOutcome(ignored: readonly string[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: ignored.map((param) => ({
      severity: 'warning',
      code: 'not-supported',
      diagnostics: 'The search parameter is not supported and was ignored.',
      expression: [safeName(param)],
    })),
  };
}

function entry(base: string, resource: FhirResource, mode: 'match' | 'include') {
  return { fullUrl: `${base}/${resource.resourceType}/${resource.id}`, resource, search: { mode } };
}

/** The `self` link of a page at `url` and, when there is more, the `next` one with its cursor (`_cursor`). */
export function pageLinks(
  url: string,
  query: Record<string, unknown>,
  next: string | undefined,
): BundleLink[] {
  const link = (cursor?: string) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (key === '_cursor') continue;
      for (const item of Array.isArray(value) ? value : [value])
        if (typeof item === 'string') params.append(key, item);
    }
    if (cursor) params.set('_cursor', cursor);
    const text = params.toString();
    return `${url}${text ? `?${text}` : ''}`;
  };
  return [
    { relation: 'self', url: link(typeof query._cursor === 'string' ? query._cursor : undefined) },
    ...(next ? [{ relation: 'next', url: link(next) }] : []),
  ];
}
