import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AuditDraft } from '@hdp/audit';
import type { FilterQuery, Model } from 'mongoose';
import { AuditIntents } from '../audit-intents';
import type { InstantBounds } from '../test-results.repository';
import { BucketKind, bucketKeysOf } from './bucket-keys';
import { PatientReportedRecord, ReportedContent, ReportedKind } from './patient-reported.schema';

/** What a new record holds besides its ids and bookkeeping. */
export interface NewReportedRecord {
  readonly kind: ReportedKind;
  readonly resource: ReportedContent;
  readonly code: string;
  readonly effectiveAt: Date;
  readonly samples?: Record<string, number>;
}

export interface ReportedFilter {
  readonly kind: ReportedKind;
  readonly patientId?: string;
  readonly codes?: readonly string[];
  /** Every one of these bounds on the effective instant. */
  readonly effectiveAt?: readonly InstantBounds[];
  readonly after?: { at: Date; id: string };
}

/** One summarised value of one patient over [from, to), grouped by day or ISO week. */
/** What the store computes for one bucket of a summary; `_id` is the bucket key. */
export interface BucketStatistics {
  readonly _id: string;
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

export interface SummaryScope {
  readonly patientId: string;
  readonly sample: string;
  readonly bucket: BucketKind;
  readonly from: Date;
  readonly to: Date;
}

const HIDE_OUTBOX = { auditOutbox: 0 };
const BUCKET_FIELD: Record<BucketKind, 'dayKey' | 'weekKey'> = { day: 'dayKey', week: 'weekKey' };

/** The only code that touches the patient_reported_records collection. */
@Injectable()
export class PatientReportedRepository {
  readonly intents: AuditIntents<PatientReportedRecord>;

  constructor(
    @InjectModel(PatientReportedRecord.name) private readonly records: Model<PatientReportedRecord>,
  ) {
    this.intents = new AuditIntents(records);
  }

  async insert(id: string, patientId: string, record: NewReportedRecord, draft: AuditDraft) {
    const now = new Date();
    const document = {
      _id: id,
      patientId,
      ...record,
      ...bucketKeysOf(record.effectiveAt),
      version: 1,
      createdAt: now,
      updatedAt: now,
      deleted: false,
    };
    await this.records.collection.insertOne({ ...document, ...this.intents.hold(draft) } as object);
    return { ...document, auditOutbox: [] } as PatientReportedRecord;
  }

  async findLive(kind: ReportedKind, id: string): Promise<PatientReportedRecord | null> {
    return this.records.findOne({ _id: id, kind, deleted: false }, HIDE_OUTBOX).lean<PatientReportedRecord>();
  }

  /** Newest first by effective time, then id. */
  async search(filter: ReportedFilter, limit: number): Promise<PatientReportedRecord[]> {
    return this.records
      .find(toQuery(filter), HIDE_OUTBOX)
      .sort({ effectiveAt: -1, _id: -1 })
      .limit(limit)
      .lean<PatientReportedRecord[]>();
  }

  /** A deleted patient's records go with them. */
  async markDeletedForPatient(patientId: string): Promise<void> {
    await this.records.updateMany(
      { patientId, deleted: false },
      { $set: { deleted: true, updatedAt: new Date() } },
    );
  }

  /** Count, sum, min and max of one sample per bucket key, in bucket-key order: one `$group` in the store. */
  async bucketStatistics(scope: SummaryScope): Promise<BucketStatistics[]> {
    const value = `$samples.${scope.sample}`;
    return this.records.aggregate<BucketStatistics>([
      { $match: inScope(scope) },
      {
        $group: {
          _id: `$${BUCKET_FIELD[scope.bucket]}`,
          count: { $sum: 1 },
          sum: { $sum: value },
          min: { $min: value },
          max: { $max: value },
        },
      },
      { $sort: { _id: 1 } },
    ]);
  }
}

function inScope({ patientId, sample, from, to }: SummaryScope): FilterQuery<PatientReportedRecord> {
  return {
    patientId,
    deleted: false,
    kind: 'Observation',
    [`samples.${sample}`]: { $exists: true },
    effectiveAt: { $gte: from, $lt: to },
  };
}

function toQuery(filter: ReportedFilter): FilterQuery<PatientReportedRecord> {
  const [first, ...others] = filter.effectiveAt ?? [];
  const query: FilterQuery<PatientReportedRecord> = {
    kind: filter.kind,
    deleted: false,
    ...(filter.patientId !== undefined ? { patientId: filter.patientId } : {}),
    ...(filter.codes
      ? { code: filter.codes.length === 1 ? filter.codes[0] : { $in: [...filter.codes] } }
      : {}),
    ...(first ? { effectiveAt: first } : {}),
    ...(others.length > 0 ? { $and: others.map((bounds) => ({ effectiveAt: bounds })) } : {}),
  };
  if (!filter.after) return query;
  const { at, id } = filter.after;
  const after = { $or: [{ effectiveAt: { $lt: at } }, { effectiveAt: at, _id: { $lt: id } }] };
  return { $and: [query, after] };
}
