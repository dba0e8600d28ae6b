import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AuditDraft } from '@hdp/audit';
import type { FilterQuery, Model } from 'mongoose';
import { AuditIntents } from './audit-intents';
import { InsertBatcher } from './insert-batcher';
import { contains, MAX_SEARCH_PREFIX, normaliseForSearch, startsWith } from './normalise';
import { PatientDocument } from './patients.schema';
import { RangeCondition, rangeClause } from './range-condition';
import { keysetAfter, SortOrder, sortSpec } from './sort-order';
import { PATIENT_VERSIONS, ResourceVersionDocument } from './versions/resource-version.schema';
import { VersionStore } from './versions/version-store';

export type { RangeCondition } from './range-condition';

export type PatientFields = Omit<
  PatientDocument,
  '_id' | 'version' | 'createdAt' | 'updatedAt' | 'deleted' | 'auditOutbox'
>;

/** The patient elements a search's `:missing` asks about. */
export type PatientElement = 'gender' | 'birthDate' | 'family' | 'given' | 'identifier';

/** What a patient search asks of the records, beyond the caller's compartment. */
export interface PatientCriteria {
  readonly id?: string;
  readonly identifier?: { system: string; value: string };
  /** An identifier value in any system. */
  readonly identifierValue?: string;
  /** Normalised starts-with terms; `namePrefix` matches family or given. */
  readonly familyPrefix?: string;
  readonly givenPrefix?: string;
  readonly namePrefix?: string;
  /** Exactly as stored (case and accents count). */
  readonly familyExact?: string;
  readonly givenExact?: string;
  /** Normalised terms found anywhere in the name part. */
  readonly familyContains?: string;
  readonly givenContains?: string;
  readonly birthDate?: string;
  /** Every one of these (`YYYY-MM-DD` strings compare as dates). */
  readonly birthDates?: readonly RangeCondition<string>[];
  readonly lastUpdated?: readonly RangeCondition<Date>[];
  readonly gender?: string;
  /** Any of these genders (comma OR); `notGenders`: none of them (`gender:not`). */
  readonly genders?: readonly string[];
  readonly notGenders?: readonly string[];
  /** true: the element is absent; false: present (a search's `:missing`). */
  readonly missing?: Readonly<Partial<Record<PatientElement, boolean>>>;
}

/** The keys a patient search may be sorted by, as the stored fields they are. */
export const PATIENT_SORT_FIELDS = {
  birthDate: 'birthDate',
  family: 'nameNorm.family',
  updatedAt: 'updatedAt',
} as const;
export type PatientSortKey = keyof typeof PATIENT_SORT_FIELDS;

const HIDE_OUTBOX = { auditOutbox: 0 };

/** The only code that touches the patients collection. */
@Injectable()
export class PatientsRepository {
  readonly intents: AuditIntents<PatientDocument>;
  readonly versions: VersionStore<PatientDocument>;
  private readonly patientInserts: InsertBatcher;

  constructor(
    @InjectModel(PatientDocument.name) private readonly patients: Model<PatientDocument>,
    @InjectModel(PATIENT_VERSIONS) versions: Model<ResourceVersionDocument>,
  ) {
    this.intents = new AuditIntents(patients);
    this.versions = new VersionStore(patients, versions, (patient) => patient._id);
    this.patientInserts = new InsertBatcher(patients.collection);
  }

  async insert(id: string, fields: PatientFields, draft: AuditDraft): Promise<PatientDocument> {
    const now = new Date();
    const document = {
      _id: id,
      ...fields,
      version: 1,
      createdAt: now,
      updatedAt: now,
      deleted: false,
      auditOutbox: [],
    };
    await this.versions.write(document, draft, async () => {
      await this.patientInserts.insert({ ...document, ...this.intents.hold(draft) });
      return document;
    });
    return document;
  }

  async findLive(id: string): Promise<PatientDocument | null> {
    return this.patients.findOne({ _id: id, deleted: false }, HIDE_OUTBOX).lean<PatientDocument>();
  }

  /** Whether a patient with this id existed and was deleted. */
  async isDeleted(id: string): Promise<boolean> {
    return (await this.patients.exists({ _id: id, deleted: true })) !== null;
  }

  /**
   * Replaces the fields if `current` is still the stored version; null when it is not (or is gone). A
   * unique-index refusal (an identifier another live patient holds) is thrown as the driver's error.
   */
  async replace(current: PatientDocument, fields: PatientFields, draft: AuditDraft) {
    const changes = { ...fields, version: current.version + 1, updatedAt: new Date() };
    return this.change(current, changes, fields.identifierKeys ? [] : ['identifierKeys'], draft);
  }

  /** Tombstones the patient if `current` is still the stored version, freeing its identifiers; null when not. */
  async markDeleted(current: PatientDocument, draft: AuditDraft) {
    const changes = { deleted: true, version: current.version + 1, updatedAt: new Date() };
    return this.change(current, changes, ['identifierKeys'], draft);
  }

  /** A versioned change: the next version is claimed in the version store before the record is written. */
  private async change(
    current: PatientDocument,
    changes: Partial<PatientDocument>,
    removed: readonly (keyof PatientDocument)[],
    draft: AuditDraft,
  ) {
    const next = { ...current, ...changes };
    for (const field of removed) delete next[field];
    const unset = Object.fromEntries(removed.map((field) => [field, 1]));
    return this.versions.write(next, draft, () =>
      this.patients
        .findOneAndUpdate(
          { _id: current._id, version: current.version, deleted: false },
          { $set: changes, ...(removed.length > 0 ? { $unset: unset } : {}), $push: { auditOutbox: draft } },
          { new: true },
        )
        .lean<PatientDocument>(),
    );
  }

  /** Up to `limit` matches after the id `after`, in id order. */
  async search(
    filter: PatientCriteria,
    after: string | undefined,
    limit: number,
  ): Promise<PatientDocument[]> {
    return this.patients
      .find(toQuery(filter, after), HIDE_OUTBOX)
      .sort({ _id: 1 })
      .limit(limit)
      .lean<PatientDocument[]>();
  }

  /**
   * A page of a sorted search: up to `limit` matches after `after` in the order of `sort` (then id), read
   * from the sort key's index, so paging stays stable while records are inserted.
   */
  async searchSorted(
    filter: PatientCriteria,
    sort: SortOrder<PatientSortKey>,
    after: { value: unknown; id: string } | undefined,
    limit: number,
  ): Promise<PatientDocument[]> {
    const field = PATIENT_SORT_FIELDS[sort.key];
    const query = toQuery(filter);
    const paged = after
      ? { $and: [query, keysetAfter(field, sort.descending, after.value, after.id)] }
      : query;
    return this.patients
      .find(paged, HIDE_OUTBOX)
      .sort(sortSpec(field, sort.descending))
      .limit(limit)
      .lean<PatientDocument[]>();
  }

  /** How many live patients match (`_total=accurate`, `_summary=count`). */
  async count(filter: PatientCriteria): Promise<number> {
    return this.patients.countDocuments(toQuery(filter));
  }
}

/** The search key of an identifier: a hash, so the index holds no identifier in clear. */
export function identifierKey(identifier: { system: string; value: string }): string {
  return createHash('sha256').update(`${identifier.system}|${identifier.value}`).digest('hex');
}

/** The live patients matching `filter`, with ids after `after` when given (a page's keyset). */
function toQuery(filter: PatientCriteria, after?: string): FilterQuery<PatientDocument> {
  const query: FilterQuery<PatientDocument> = { deleted: false };
  if (filter.id !== undefined || after !== undefined)
    query._id = {
      ...(filter.id !== undefined ? { $eq: filter.id } : {}),
      ...(after !== undefined ? { $gt: after } : {}),
    };
  if (filter.identifier) query.identifierKeys = identifierKey(filter.identifier);
  if (filter.familyPrefix) {
    query.familyPrefixes = filter.familyPrefix.slice(0, MAX_SEARCH_PREFIX);
    if (filter.familyPrefix.length > MAX_SEARCH_PREFIX)
      query['nameNorm.family'] = startsWith(filter.familyPrefix);
  }
  if (filter.givenPrefix) {
    query.givenPrefixes = filter.givenPrefix.slice(0, MAX_SEARCH_PREFIX);
    if (filter.givenPrefix.length > MAX_SEARCH_PREFIX)
      query['nameNorm.given'] = startsWith(filter.givenPrefix);
  }
  if (filter.namePrefix) query.$or = namePrefixClauses(filter.namePrefix);
  if (filter.identifierValue !== undefined) query['identifier.value'] = filter.identifierValue;
  if (filter.familyExact !== undefined) {
    query['name.family'] = filter.familyExact;
    narrowByPrefix(query, 'familyPrefixes', filter.familyExact);
  }
  if (filter.givenExact !== undefined) {
    query['name.given'] = filter.givenExact;
    narrowByPrefix(query, 'givenPrefixes', filter.givenExact);
  }
  if (filter.familyContains) query['nameNorm.family'] = contains(filter.familyContains);
  if (filter.givenContains) query['nameNorm.given'] = contains(filter.givenContains);
  if (filter.birthDate !== undefined) query.birthDate = filter.birthDate;
  if (filter.gender !== undefined) query.gender = filter.gender;
  if (filter.genders !== undefined)
    query.gender = filter.genders.length === 1 ? filter.genders[0] : { $in: [...filter.genders] };
  const ranges = [
    ...(filter.birthDates ?? []).map((condition) => rangeClause('birthDate', condition)),
    ...(filter.lastUpdated ?? []).map((condition) => rangeClause('updatedAt', condition)),
    ...(filter.notGenders ? [{ gender: { $nin: [...filter.notGenders] } }] : []),
    ...Object.entries(filter.missing ?? {}).map(([element, missing]) =>
      missingClause(element as PatientElement, missing),
    ),
  ];
  return ranges.length > 0 ? { ...query, $and: ranges } : query;
}

/**
 * A name stored exactly as `value` has the normalised `value` among its prefixes: an equality the prefix
 * index serves selectively, narrowing what the exact comparison on the dotted path is checked against.
 */
function narrowByPrefix(
  query: FilterQuery<PatientDocument>,
  field: 'familyPrefixes' | 'givenPrefixes',
  value: string,
): void {
  const prefix = normaliseForSearch(value).slice(0, MAX_SEARCH_PREFIX);
  if (prefix && query[field] === undefined) query[field] = prefix;
}

/** `:missing`: given names by their prefix keys (empty when absent), the others by existence. */
function missingClause(element: PatientElement, missing: boolean): FilterQuery<PatientDocument> {
  if (element === 'given') return { givenPrefixes: missing ? [] : { $ne: [] } };
  const field = { family: 'nameNorm.family', identifier: 'identifierKeys' }[element as string] ?? element;
  return { [field]: { $exists: !missing } };
}

function namePrefixClauses(prefix: string): FilterQuery<PatientDocument>[] {
  const short = prefix.slice(0, MAX_SEARCH_PREFIX);
  if (prefix.length <= MAX_SEARCH_PREFIX) return [{ familyPrefixes: short }, { givenPrefixes: short }];
  return [
    { familyPrefixes: short, 'nameNorm.family': startsWith(prefix) },
    { givenPrefixes: short, 'nameNorm.given': startsWith(prefix) },
  ];
}
