import type { Bundle, OperationOutcome, Resource } from 'fhir/r4';
import { InvalidInputError } from '@hdp/platform';

/** Parameters that shape the answer rather than select resources: every search accepts them. */
export const RESULT_PARAMETERS: ReadonlySet<string> = new Set(['_format', '_elements']);

/** Elements every subset keeps, so the resource stays valid and addressable. */
const ALWAYS_KEPT = new Set(['resourceType', 'id', 'meta']);
const SUBSETTED = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'SUBSETTED',
};

/**
 * `_elements=a,b`: the names of the top-level elements to keep, or undefined when not asked. Element
 * names are checked (letters, digits, `[x]`-style choice names) so nothing odd is echoed back.
 */
export function elementsParam(value: unknown): ReadonlySet<string> | undefined {
  if (value === undefined) return undefined;
  const names = typeof value === 'string' ? value.split(',').map((name) => name.trim()) : [];
  if (names.length === 0 || names.some((name) => !/^[a-z][A-Za-z0-9]{0,63}$/.test(name))) {
    throw new InvalidInputError('The search is invalid.', [
      { path: '_elements', message: 'must be a comma-separated list of element names, given once' },
    ]);
  }
  return new Set(names);
}

/**
 * Applies `_elements` to a resource, or to each matched resource of a searchset Bundle; a subset is
 * tagged SUBSETTED, as the specification requires, so no client mistakes it for the whole record.
 */
export function withElements(body: unknown, elements: ReadonlySet<string>): unknown {
  const resource = body as Resource | undefined;
  if (!resource?.resourceType || resource.resourceType === 'OperationOutcome') return body;
  if (resource.resourceType === 'Bundle') {
    const bundle = resource as Bundle;
    return {
      ...bundle,
      entry: bundle.entry?.map((entry) =>
        entry.search?.mode === 'match' && entry.resource
          ? { ...entry, resource: subset(entry.resource, elements) }
          : entry,
      ),
    };
  }
  return subset(resource, elements);
}

function subset<R extends Resource>(resource: R, elements: ReadonlySet<string>): R {
  const kept = Object.fromEntries(
    Object.entries(resource).filter(([name]) => ALWAYS_KEPT.has(name) || elements.has(name)),
  ) as R;
  kept.meta = { ...resource.meta, tag: [...(resource.meta?.tag ?? []), SUBSETTED] };
  return kept;
}

export type ReturnPreference = 'minimal' | 'representation' | 'OperationOutcome';

/** The `return` asked for in a `Prefer` header; representation when absent or not understood (a preference, not a demand). */
export function returnPreference(prefer: string | undefined): ReturnPreference {
  const asked = /(?:^|[;,\s])return=(minimal|representation|OperationOutcome)\b/.exec(prefer ?? '')?.[1];
  return (asked as ReturnPreference | undefined) ?? 'representation';
}

/** The body of a successful write under `Prefer: return=OperationOutcome`: what happened, no content. */
export function writeOutcome(resource: Resource, status: number): OperationOutcome {
  const version = resource.meta?.versionId;
  const what = `${resource.resourceType}/${resource.id}${version ? ` version ${version}` : ''}`;
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'information',
        code: 'informational',
        diagnostics: `${status === 201 ? 'Created' : 'Updated'} ${what}.`,
      },
    ],
  };
}
