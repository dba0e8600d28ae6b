import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, FhirResource, Identifier } from 'fhir/r4';
import { DomainError, FieldIssue, Interaction, InvalidInputError } from '@hdp/platform';
import { identifierCriterion, ifNoneExistCriterion } from '../search/search-query';

/** The resource types a Bundle entry may address. */
export const BUNDLE_TYPES = ['Patient', 'Observation'] as const;
export type BundleResourceType = (typeof BUNDLE_TYPES)[number];

const MAX_ENTRIES = 1000;

interface EntryBase {
  readonly index: number;
  readonly type: BundleResourceType;
  readonly fullUrl?: string;
}

/** `POST {type}`, under the id the server assigned it; with `ifNoneExist`, a conditional create. */
export interface CreateEntry extends EntryBase {
  readonly action: 'create';
  readonly id: string;
  readonly resource: FhirResource;
  readonly ifNoneExist?: Identifier;
}

/** `PUT {type}/{id}`. */
export interface UpdateEntry extends EntryBase {
  readonly action: 'update';
  readonly id: string;
  readonly resource: FhirResource;
  readonly ifMatch?: string;
}

/** `PUT {type}?identifier=system|value`: updates the one holding it, creates when none does. */
export interface ConditionalUpdateEntry extends EntryBase {
  readonly action: 'conditional-update';
  readonly criterion: Identifier;
  readonly resource: FhirResource;
  readonly ifMatch?: string;
}

export interface DeleteEntry extends EntryBase {
  readonly action: 'delete';
  readonly id: string;
  readonly ifMatch?: string;
}

export interface ReadEntry extends EntryBase {
  readonly action: 'read';
  readonly id: string;
}

export interface SearchEntry extends EntryBase {
  readonly action: 'search';
  readonly query: Record<string, string | string[]>;
}

/** One entry of a batch or transaction, as the interaction it asks for. */
export type RequestEntry =
  CreateEntry | UpdateEntry | ConditionalUpdateEntry | DeleteEntry | ReadEntry | SearchEntry;

export type EntryAction = RequestEntry['action'];

/** The SMART interaction each entry needs on its resource type. */
export const SCOPE_OF: Record<EntryAction, Interaction> = {
  create: 'create',
  update: 'update',
  'conditional-update': 'update',
  delete: 'delete',
  read: 'read',
  search: 'search',
};

/**
 * The entries of a `batch` or `transaction` Bundle: `POST` (with `ifNoneExist`), `PUT` by id (with
 * `ifMatch`) or by identifier, `DELETE` by id, `GET` by id or search, of a Patient or an Observation. Anything
 * else is a 400 naming the entry's request. Every create gets an id here, so references to it resolve.
 */
export function requestEntries(bundle: unknown): {
  type: 'batch' | 'transaction';
  entries: RequestEntry[];
} {
  const { resourceType, type, entry = [] } = (bundle ?? {}) as Bundle;
  const issues: FieldIssue[] = [];
  if (resourceType !== 'Bundle') issues.push({ path: 'Bundle.resourceType', message: 'must be Bundle' });
  if (type !== 'batch' && type !== 'transaction')
    issues.push({ path: 'Bundle.type', message: 'must be batch or transaction' });
  if (!Array.isArray(entry) || entry.length > MAX_ENTRIES)
    issues.push({ path: 'Bundle.entry', message: `must be an array of at most ${MAX_ENTRIES} entries` });
  if (issues.length > 0) throw new InvalidInputError('The Bundle is invalid.', issues);
  const entries = entry.flatMap((given, index) => {
    try {
      return [requestEntry(given, index)];
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      issues.push({ path: `Bundle.entry[${index}].request`, message: error.message });
      return [];
    }
  });
  if (issues.length > 0) throw new InvalidInputError('The Bundle is invalid.', issues);
  return { type: type as 'batch' | 'transaction', entries };
}

const UNSUPPORTED =
  'must be POST {type}, PUT {type}/{id} or {type}?identifier=, DELETE {type}/{id}, or GET {type}[/{id}|?query], of Patient or Observation';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const STRING_FIELDS = ['url', 'method', 'ifNoneExist', 'ifMatch'] as const;

/** The entry as a BundleEntry, once the fields read here have the types the R4 definitions give them. */
function entryShape(given: unknown): BundleEntry {
  if (!isObject(given) || !isObject(given.request)) throw invalid('must be an object with a request');
  const { request } = given;
  const wrong = STRING_FIELDS.find(
    (field) => request[field] !== undefined && typeof request[field] !== 'string',
  );
  if (wrong) throw invalid(`${wrong} must be a string`);
  if (given.fullUrl !== undefined && typeof given.fullUrl !== 'string')
    throw invalid('fullUrl must be a string');
  return given;
}

function requestEntry(given: unknown, index: number): RequestEntry {
  const { fullUrl, resource, request } = entryShape(given);
  const [path = '', search] = (request?.url ?? '').replace(/^\//, '').split('?', 2);
  const [kind, id, ...rest] = path.split('/');
  const type = kind as BundleResourceType;
  if (!BUNDLE_TYPES.includes(type) || rest.length > 0 || id === '') throw invalid(UNSUPPORTED);
  const base = { index, type, fullUrl };
  const query = search === undefined ? undefined : queryOf(search);
  const withBody = () => {
    if (resource?.resourceType !== type) throw invalid(`must carry a ${type} resource`);
    return resource;
  };
  switch (request?.method) {
    case 'POST':
      if (id !== undefined || query) throw invalid(UNSUPPORTED);
      return {
        ...base,
        action: 'create',
        id: randomUUID(),
        resource: withBody(),
        ifNoneExist:
          request.ifNoneExist === undefined ? undefined : ifNoneExistCriterion(request.ifNoneExist),
      };
    case 'PUT':
      if (id !== undefined && !query)
        return { ...base, action: 'update', id, resource: withBody(), ifMatch: request.ifMatch };
      if (id !== undefined || !query) throw invalid(UNSUPPORTED);
      return {
        ...base,
        action: 'conditional-update',
        criterion: identifierCriterion(query),
        resource: withBody(),
        ifMatch: request.ifMatch,
      };
    case 'DELETE':
      if (id === undefined || query) throw invalid(UNSUPPORTED);
      return { ...base, action: 'delete', id, ifMatch: request.ifMatch };
    case 'GET':
      if (id !== undefined && !query) return { ...base, action: 'read', id };
      if (id !== undefined) throw invalid(UNSUPPORTED);
      return { ...base, action: 'search', query: query ?? {} };
    default:
      throw invalid(UNSUPPORTED);
  }
}

function invalid(message: string): InvalidInputError {
  return new InvalidInputError(message, []);
}

/** A query string as Express parses one: a repeated parameter is an array of its values. */
function queryOf(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(search)) {
    const held = query[name];
    query[name] = held === undefined ? value : [held, value].flat();
  }
  return query;
}

/** The resource an entry writes, if it writes one. */
export function resourceOf(entry: RequestEntry): FhirResource | undefined {
  return 'resource' in entry ? entry.resource : undefined;
}

/**
 * The entries with every reference to another entry's `fullUrl` (a `urn:uuid:` one) replaced by the
 * `Type/id` of the resource it creates or updates.
 */
export function resolveReferences(entries: readonly RequestEntry[]): RequestEntry[] {
  const targets = new Map(
    entries.flatMap((entry) =>
      (entry.action === 'create' || entry.action === 'update') && entry.fullUrl
        ? [[entry.fullUrl, `${entry.type}/${entry.id}`] as const]
        : [],
    ),
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
  return entries.map((entry) =>
    'resource' in entry ? { ...entry, resource: resolve(entry.resource) as FhirResource } : entry,
  );
}

/** An issue of an entry's resource (`Observation.subject`) as an issue of the Bundle (`Bundle.entry[2].resource.subject`). */
export function entryIssue(entry: RequestEntry, issue: FieldIssue): FieldIssue {
  const path = issue.path.startsWith(entry.type) ? issue.path.slice(entry.type.length) : `.${issue.path}`;
  return { path: `Bundle.entry[${entry.index}].resource${path}`, message: issue.message };
}
