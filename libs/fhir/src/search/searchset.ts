import type { Bundle, BundleLink, FhirResource } from 'fhir/r4';
import { InvalidInputError } from '@hdp/platform';

/** A refused search (400) naming the parameter, or `query` when its name is not safe to echo. */
export function invalidSearch(param: string, message: string): InvalidInputError {
  const safe = /^[\w.:-]{1,64}$/.test(param) ? param : 'query';
  return new InvalidInputError('The search is invalid.', [{ path: safe, message }]);
}

/**
 * A searchset Bundle of one page of `type`, with `self` and (when there is more) `next` links carrying the
 * query's parameters (repeated ones repeated) and the page cursor; `included` resources (from `_include` or
 * `_revinclude`) follow the matches.
 */
export function searchsetBundle(
  base: string,
  type: string,
  query: Record<string, unknown>,
  resources: readonly FhirResource[],
  next: string | undefined,
  included: readonly FhirResource[] = [],
): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    link: pageLinks(`${base}/${type}`, query, next),
    entry: [
      ...resources.map((resource) => entry(base, resource, 'match')),
      ...included.map((resource) => entry(base, resource, 'include')),
    ],
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
