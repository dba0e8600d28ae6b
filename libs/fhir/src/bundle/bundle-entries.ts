import { randomUUID } from 'node:crypto';
import type { Bundle, FhirResource } from 'fhir/r4';
import { FieldIssue, InvalidInputError } from '@hdp/platform';

/** The resource types a Bundle entry may create. */
export const BUNDLE_TYPES = ['Patient', 'Observation'] as const;
export type BundleResourceType = (typeof BUNDLE_TYPES)[number];

const MAX_ENTRIES = 1000;

/** One entry of a batch or transaction: a create of `resource` under the id the server assigned it. */
export interface CreateEntry {
  readonly index: number;
  readonly type: BundleResourceType;
  readonly id: string;
  readonly fullUrl?: string;
  readonly resource: FhirResource;
}

/**
 * The entries of a `batch` or `transaction` Bundle, each a `POST` of a Patient or an Observation, with an id
 * assigned to each. Anything else is a 400 naming the entry: this server's Bundles only create.
 */
export function createEntries(bundle: unknown): { type: 'batch' | 'transaction'; entries: CreateEntry[] } {
  const { resourceType, type, entry = [] } = (bundle ?? {}) as Bundle;
  const issues: FieldIssue[] = [];
  if (resourceType !== 'Bundle') issues.push({ path: 'Bundle.resourceType', message: 'must be Bundle' });
  if (type !== 'batch' && type !== 'transaction')
    issues.push({ path: 'Bundle.type', message: 'must be batch or transaction' });
  if (!Array.isArray(entry) || entry.length > MAX_ENTRIES)
    issues.push({ path: 'Bundle.entry', message: `must be an array of at most ${MAX_ENTRIES} entries` });
  if (issues.length > 0) throw new InvalidInputError('The Bundle is invalid.', issues);
  const entries = entry.map(({ fullUrl, resource, request }, index): CreateEntry => {
    const kind = resource?.resourceType as BundleResourceType | undefined;
    const posts = request?.method === 'POST' && request.url === kind && BUNDLE_TYPES.includes(kind);
    if (!posts || request.ifNoneExist !== undefined)
      issues.push({
        path: `Bundle.entry[${index}].request`,
        message: 'each entry must be a POST of a Patient or an Observation to its type (no conditions)',
      });
    return { index, type: kind as BundleResourceType, id: randomUUID(), fullUrl, resource: resource! };
  });
  if (issues.length > 0) throw new InvalidInputError('The Bundle is invalid.', issues);
  return { type: type as 'batch' | 'transaction', entries };
}

/**
 * The entries with every reference to another entry's `fullUrl` (a `urn:uuid:` one) replaced by the
 * `Type/id` of the resource it creates.
 */
export function resolveReferences(entries: readonly CreateEntry[]): CreateEntry[] {
  const targets = new Map(
    entries.flatMap(({ fullUrl, type, id }) => (fullUrl ? [[fullUrl, `${type}/${id}`] as const] : [])),
  );
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [
        key,
        key === 'reference' && typeof child === 'string' ? (targets.get(child) ?? child) : resolve(child),
      ]),
    );
  };
  return entries.map((entry) => ({ ...entry, resource: resolve(entry.resource) as FhirResource }));
}

/** An issue of an entry's resource (`Observation.subject`) as an issue of the Bundle (`Bundle.entry[2].resource.subject`). */
export function entryIssue(entry: CreateEntry, issue: FieldIssue): FieldIssue {
  const path = issue.path.startsWith(entry.type) ? issue.path.slice(entry.type.length) : `.${issue.path}`;
  return { path: `Bundle.entry[${entry.index}].resource${path}`, message: issue.message };
}
