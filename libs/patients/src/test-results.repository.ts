import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AuditDraft } from '@hdp/audit';
import type { FilterQuery, Model } from 'mongoose';
import { AuditIntents } from './audit-intents';
import { TestResultDocument } from './test-results.schema';

export type TestResultFields = Omit<
  TestResultDocument,
  '_id' | 'patientId' | 'version' | 'createdAt' | 'updatedAt' | 'deleted' | 'auditOutbox'
>;

export interface TestResultFilter {
  readonly patientId: string;
  readonly code?: { system?: string; code: string };
  readonly status?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly after?: { effective: Date; id: string };
}

const HIDE_OUTBOX = { auditOutbox: 0 };

/** The only code that touches the test_results collection. */
@Injectable()
export class TestResultsRepository {
  readonly intents: AuditIntents<TestResultDocument>;

  constructor(@InjectModel(TestResultDocument.name) private readonly results: Model<TestResultDocument>) {
    this.intents = new AuditIntents(results);
  }

  async insert(id: string, patientId: string, fields: TestResultFields, draft: AuditDraft) {
    const now = new Date();
    const document = {
      _id: id,
      patientId,
      ...fields,
      version: 1,
      createdAt: now,
      updatedAt: now,
      deleted: false,
    };
    await this.results.collection.insertOne({ ...document, auditOutbox: [draft] } as object);
    return { ...document, auditOutbox: [] } as TestResultDocument;
  }

  async findLive(patientId: string, id: string): Promise<TestResultDocument | null> {
    return this.results
      .findOne({ _id: id, patientId, deleted: false }, HIDE_OUTBOX)
      .lean<TestResultDocument>();
  }

  /** Replaces the fields if the stored version is still `version`; null when it is not (or is gone). */
  async replace(id: string, version: number, fields: TestResultFields, draft: AuditDraft) {
    const unset = Object.fromEntries(
      OPTIONAL_FIELDS.filter((field) => fields[field] === undefined).map((f) => [f, 1]),
    );
    return this.results
      .findOneAndUpdate(
        { _id: id, version, deleted: false },
        {
          $set: { ...withoutUndefined(fields), version: version + 1, updatedAt: new Date() },
          ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}),
          $push: { auditOutbox: draft },
        },
        { new: true },
      )
      .lean<TestResultDocument>();
  }

  async markDeleted(id: string, version: number, draft: AuditDraft) {
    return this.results
      .findOneAndUpdate(
        { _id: id, version, deleted: false },
        {
          $set: { deleted: true, version: version + 1, updatedAt: new Date() },
          $push: { auditOutbox: draft },
        },
        { new: true },
      )
      .lean<TestResultDocument>();
  }

  /** A deleted patient's results go with them. */
  async markDeletedForPatient(patientId: string): Promise<void> {
    await this.results.updateMany(
      { patientId, deleted: false },
      { $set: { deleted: true, updatedAt: new Date() } },
    );
  }

  /** Newest first by effective time, then id. */
  async search(filter: TestResultFilter, limit: number): Promise<TestResultDocument[]> {
    return this.results
      .find(toQuery(filter), HIDE_OUTBOX)
      .sort({ effectiveDateTime: -1, _id: -1 })
      .limit(limit)
      .lean<TestResultDocument[]>();
  }
}

const OPTIONAL_FIELDS = [
  'valueQuantity',
  'valueString',
  'valueCoding',
  'referenceRange',
  'interpretation',
  'issued',
  'performer',
  'note',
] as const;

function toQuery(filter: TestResultFilter): FilterQuery<TestResultDocument> {
  const query: FilterQuery<TestResultDocument> = { patientId: filter.patientId, deleted: false };
  if (filter.code) {
    query['code.code'] = filter.code.code;
    if (filter.code.system !== undefined) query['code.system'] = filter.code.system;
  }
  if (filter.status !== undefined) query.status = filter.status;
  if (filter.from || filter.to) {
    query.effectiveDateTime = {
      ...(filter.from ? { $gte: filter.from } : {}),
      ...(filter.to ? { $lt: filter.to } : {}),
    };
  }
  if (!filter.after) return query;
  const { effective, id } = filter.after;
  return {
    $and: [
      query,
      {
        $or: [{ effectiveDateTime: { $lt: effective } }, { effectiveDateTime: effective, _id: { $lt: id } }],
      },
    ],
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
