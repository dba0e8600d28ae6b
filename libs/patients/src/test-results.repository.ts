import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AuditDraft } from '@hdp/audit';
import type { FilterQuery, Model } from 'mongoose';
import { AuditIntents } from './audit-intents';
import { isDuplicateKey } from './duplicate-key';
import { RangeCondition, rangeClause } from './range-condition';
import { keysetAfter, SortOrder, sortSpec } from './sort-order';
import { ObservationIdentifierTakenError } from './test-results.errors';
import { ObservationContent, searchKeysOf } from './test-results.keys';
import { TestResultDocument } from './test-results.schema';
import { ResourceVersionDocument, TEST_RESULT_VERSIONS } from './versions/resource-version.schema';
import { VersionStore } from './versions/version-store';

/** Comparison bounds on one instant (`$gte` ... `$lt`). */
export type InstantBounds = Readonly<Partial<Record<'$gt' | '$gte' | '$lt' | '$lte', Date>>>;

/**
 * A condition on the effective range of a result: bounds on its start, its (exclusive) end, or both; or
 * `anyOf` its alternatives (a date parameter's comma-separated values).
 */
export interface EffectiveCondition {
  readonly start?: InstantBounds;
  readonly end?: InstantBounds;
  readonly anyOf?: readonly EffectiveCondition[];
}

/** A condition on the result's valueQuantity: its value, and its unit's system and code when given. */
export interface QuantityCondition {
  readonly value: RangeCondition<number>;
  readonly system?: string;
  readonly code?: string;
}

/** The keys a result search may be sorted by: effective time (its start) or last update. */
export type ResultSortKey = 'effectiveStart' | 'updatedAt';

/** Every search's order unless it asks for another: newest effective time first. */
export const NEWEST_FIRST: SortOrder<ResultSortKey> = { key: 'effectiveStart', descending: true };

export interface TestResultFilter {
  readonly patientId?: string;
  /** Any of these token keys (see `tokenOf`). */
  readonly codeTokens?: readonly string[];
  readonly categoryTokens?: readonly string[];
  readonly statuses?: readonly string[];
  readonly device?: string;
  /** Every one of these conditions (repeated date parameters narrow a search). */
  readonly effective?: readonly EffectiveCondition[];
  /** Every one of these, on the last update time and on the valueQuantity. */
  readonly lastUpdated?: readonly RangeCondition<Date>[];
  readonly valueQuantity?: readonly QuantityCondition[];
  /** Each of these groups too (a token parameter repeated: every one must match, each any of its values). */
  readonly alsoTokens?: readonly {
    readonly field: 'codeTokens' | 'categoryTokens';
    readonly anyOf: readonly string[];
  }[];
  /** None of these (a search's `:not`). */
  readonly not?: Readonly<Partial<Record<'codeTokens' | 'categoryTokens' | 'statuses', readonly string[]>>>;
  /** true: the element is absent; false: present (a search's `:missing`). */
  readonly missing?: Readonly<Partial<Record<'category' | 'device' | 'valueQuantity', boolean>>>;
  /** Where the previous page ended: its last result's sort value and id. */
  readonly after?: { value: Date; id: string };
}

const HIDE_OUTBOX = { auditOutbox: 0 };

/** The record a new test result is stored as: version 1, its search keys derived, no audit intent held. */
function newTestResultRecord(
  id: string,
  patientId: string,
  observation: ObservationContent,
  at: Date,
): TestResultDocument {
  return {
    _id: id,
    patientId,
    observation,
    ...searchKeysOf(observation),
    version: 1,
    createdAt: at,
    updatedAt: at,
    deleted: false,
    auditOutbox: [],
  };
}

/** The only code that touches the test_results collection. Search keys are derived here, on every write. */
@Injectable()
export class TestResultsRepository {
  readonly intents: AuditIntents<TestResultDocument>;
  readonly versions: VersionStore<TestResultDocument>;

  constructor(
    @InjectModel(TestResultDocument.name) private readonly results: Model<TestResultDocument>,
    @InjectModel(TEST_RESULT_VERSIONS) versions: Model<ResourceVersionDocument>,
  ) {
    this.intents = new AuditIntents(results);
    this.versions = new VersionStore(results, versions, (result) => result.patientId);
  }

  async insert(id: string, patientId: string, observation: ObservationContent, draft: AuditDraft) {
    const document = newTestResultRecord(id, patientId, observation, new Date());
    await this.versions
      .write(document, draft, async () => {
        await this.results.collection.insertOne({ ...document, ...this.intents.hold(draft) } as object);
        return document;
      })
      .catch(rethrowDuplicate);
    return document;
  }

  async findLive(patientId: string, id: string): Promise<TestResultDocument | null> {
    return this.results
      .findOne({ _id: id, patientId, deleted: false }, HIDE_OUTBOX)
      .lean<TestResultDocument>();
  }

  /** A result by id alone, deleted or not. */
  async findById(id: string): Promise<TestResultDocument | null> {
    return this.results.findOne({ _id: id }, HIDE_OUTBOX).lean<TestResultDocument>();
  }

  /** Live results holding this identifier (by `identifierKeyOf`), at most `limit`. */
  async findByIdentifier(identifierKey: string, limit: number): Promise<TestResultDocument[]> {
    return this.results
      .find({ identifierKeys: identifierKey, deleted: false }, HIDE_OUTBOX)
      .limit(limit)
      .lean<TestResultDocument[]>();
  }

  /** Replaces the Observation if `current` is still the stored version; null when it is not (or is gone). */
  async replace(current: TestResultDocument, observation: ObservationContent, draft: AuditDraft) {
    return this.changeObservation(current, observation, {}, draft);
  }

  /** Brings a deleted result back holding `observation`; null when `current` is no longer the stored version. */
  async revive(current: TestResultDocument, observation: ObservationContent, draft: AuditDraft) {
    return this.changeObservation(current, observation, { deleted: false }, draft);
  }

  private async changeObservation(
    current: TestResultDocument,
    observation: ObservationContent,
    fields: Partial<TestResultDocument>,
    draft: AuditDraft,
  ) {
    const keys = searchKeysOf(observation);
    const unset = (['device', 'identifierKey'] as const).filter((key) => keys[key] === undefined);
    return this.change(current, { observation, ...keys, ...fields }, unset, draft).catch(rethrowDuplicate);
  }

  /** Tombstones the result and releases its identifier for a new one. */
  async markDeleted(current: TestResultDocument, draft: AuditDraft) {
    return this.change(current, { deleted: true }, ['identifierKey'], draft);
  }

  /** A versioned change: the next version is claimed in the version store before the result is written. */
  private async change(
    current: TestResultDocument,
    fields: Partial<TestResultDocument>,
    unset: readonly (keyof TestResultDocument)[],
    draft: AuditDraft,
  ) {
    const changes = { ...fields, version: current.version + 1, updatedAt: new Date() };
    const next = { ...current, ...changes };
    for (const key of unset) delete next[key];
    return this.versions.write(next, draft, () =>
      this.results
        .findOneAndUpdate(
          { _id: current._id, version: current.version, deleted: current.deleted },
          {
            $set: changes,
            ...(unset.length > 0 ? { $unset: Object.fromEntries(unset.map((key) => [key, 1])) } : {}),
            $push: { auditOutbox: draft },
          },
          { new: true },
        )
        .lean<TestResultDocument>(),
    );
  }

  /** A deleted patient's results go with them. */
  async markDeletedForPatient(patientId: string): Promise<void> {
    await this.results.updateMany(
      { patientId, deleted: false },
      { $set: { deleted: true, updatedAt: new Date() }, $unset: { identifierKey: 1 } },
    );
  }

  /** In the order of `sort` (newest effective time first unless asked), then id: keyset pages. */
  async search(
    filter: TestResultFilter,
    limit: number,
    sort: SortOrder<ResultSortKey> = NEWEST_FIRST,
  ): Promise<TestResultDocument[]> {
    return this.results
      .find(toQuery(filter, sort), HIDE_OUTBOX)
      .sort(sortSpec(sort.key, sort.descending))
      .limit(limit)
      .lean<TestResultDocument[]>();
  }

  /** How many live results match (`_total=accurate`, `_summary=count`). */
  async count(filter: TestResultFilter): Promise<number> {
    return this.results.countDocuments(toQuery(filter, NEWEST_FIRST));
  }
}

function toQuery(filter: TestResultFilter, sort: SortOrder<ResultSortKey>): FilterQuery<TestResultDocument> {
  const [first, ...narrower] = (filter.effective ?? []).map(effectiveClause);
  const others = [...narrower, ...exclusions(filter), ...updateAndValueClauses(filter)];
  // Plain equality for a single value and few top-level operators: engines push such filters down best.
  const query: FilterQuery<TestResultDocument> = {
    deleted: false,
    ...(filter.patientId !== undefined ? { patientId: filter.patientId } : {}),
    ...anyOf('codeTokens', filter.codeTokens),
    ...anyOf('categoryTokens', filter.categoryTokens),
    ...anyOf('status', filter.statuses),
    ...(filter.device !== undefined ? { device: filter.device } : {}),
    ...first,
    ...(others.length > 0 ? { $and: others } : {}),
  };
  if (!filter.after) return query;
  const after = keysetAfter(sort.key, sort.descending, filter.after.value, filter.after.id);
  return query[sort.key] === undefined && query.$or === undefined
    ? { ...query, ...after }
    : { $and: [query, after] };
}

function effectiveClause({ start, end, anyOf: alternatives }: EffectiveCondition): Record<string, unknown> {
  if (alternatives) return { $or: alternatives.map(effectiveClause) };
  return { ...(start ? { effectiveStart: start } : {}), ...(end ? { effectiveEnd: end } : {}) };
}

function updateAndValueClauses(filter: TestResultFilter): Record<string, unknown>[] {
  return [
    ...(filter.alsoTokens ?? []).map(({ field, anyOf: values }) => anyOf(field, values)),
    ...(filter.lastUpdated ?? []).map((condition) => rangeClause('updatedAt', condition)),
    ...(filter.valueQuantity ?? []).map(({ value, system, code }) => ({
      ...rangeClause('observation.valueQuantity.value', value),
      ...(system !== undefined ? { 'observation.valueQuantity.system': system } : {}),
      ...(code !== undefined ? { 'observation.valueQuantity.code': code } : {}),
    })),
  ];
}

/** `:not` and `:missing` conditions: `$and` clauses, so none overwrites a match on the same field. */
function exclusions({ not = {}, missing = {} }: TestResultFilter): FilterQuery<TestResultDocument>[] {
  const none = (field: string, values: readonly string[] | undefined) =>
    values === undefined ? [] : [{ [field]: { $nin: [...values] } }];
  return [
    ...none('codeTokens', not.codeTokens),
    ...none('categoryTokens', not.categoryTokens),
    ...none('status', not.statuses),
    ...(missing.category === undefined
      ? []
      : [missing.category ? { categoryTokens: [] } : { categoryTokens: { $ne: [] } }]),
    ...(missing.device === undefined ? [] : [{ device: { $exists: !missing.device } }]),
    ...(missing.valueQuantity === undefined
      ? []
      : [{ 'observation.valueQuantity': { $exists: !missing.valueQuantity } }]),
  ];
}

function anyOf(field: string, values: readonly string[] | undefined): Record<string, unknown> {
  if (values === undefined) return {};
  return { [field]: values.length === 1 ? values[0] : { $in: [...values] } };
}

function rethrowDuplicate(error: unknown): never {
  if (isDuplicateKey(error)) throw new ObservationIdentifierTakenError();
  throw error;
}
