import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AuditDraft } from '@hdp/audit';
import type { FilterQuery, Model } from 'mongoose';
import { AuditIntents } from '../audit-intents';
import { isDuplicateKey } from '../duplicate-key';
import type { EffectiveCondition } from '../test-results.repository';
import { EncounterContent, encounterKeysOf } from './encounter.keys';
import { EncounterDocument } from './encounter.schema';
import { EncounterIdentifierTakenError } from './encounters.errors';

export interface EncounterFilter {
  readonly patientId?: string;
  /** Any of these identifier keys (see `identifierSearchKey`). */
  readonly identifierKeys?: readonly string[];
  readonly statuses?: readonly string[];
  /** Any of these class tokens (see `tokenOf`). */
  readonly classTokens?: readonly string[];
  /** Every one of these conditions on the period (repeated date parameters narrow a search). */
  readonly period?: readonly EffectiveCondition[];
  /** Only encounters with a greater id (the page cursor). */
  readonly afterId?: string;
}

const HIDE_OUTBOX = { auditOutbox: 0 };

/** The only code that touches the encounters collection. Its keys are derived here, on every write. */
@Injectable()
export class EncountersRepository {
  readonly intents: AuditIntents<EncounterDocument>;

  constructor(@InjectModel(EncounterDocument.name) private readonly encounters: Model<EncounterDocument>) {
    this.intents = new AuditIntents(encounters);
  }

  async insert(id: string, patientId: string, encounter: EncounterContent, draft: AuditDraft) {
    const now = new Date();
    const document = {
      _id: id,
      patientId,
      encounter,
      ...encounterKeysOf(encounter),
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.encounters.collection
      .insertOne({ ...document, ...this.intents.hold(draft) } as object)
      .catch(rethrowDuplicate);
    return { ...document, auditOutbox: [] } as EncounterDocument;
  }

  async findById(id: string): Promise<EncounterDocument | null> {
    return this.encounters.findOne({ _id: id }, HIDE_OUTBOX).lean<EncounterDocument>();
  }

  /** Replaces the Encounter if the stored version is still `version`; null when it is not. */
  async replace(id: string, version: number, encounter: EncounterContent, draft: AuditDraft) {
    const keys = encounterKeysOf(encounter);
    return this.encounters
      .findOneAndUpdate(
        { _id: id, version },
        {
          $set: { encounter, ...keys, version: version + 1, updatedAt: new Date() },
          ...(keys.identifierKey === undefined ? { $unset: { identifierKey: 1 } } : {}),
          $push: { auditOutbox: draft },
        },
        { new: true },
      )
      .lean<EncounterDocument>()
      .catch(rethrowDuplicate);
  }

  /** In id order, from the cursor on. */
  async search(filter: EncounterFilter, limit: number): Promise<EncounterDocument[]> {
    const query: FilterQuery<EncounterDocument> = {
      ...(filter.patientId !== undefined ? { patientId: filter.patientId } : {}),
      ...anyOf('identifierKeys', filter.identifierKeys),
      ...anyOf('status', filter.statuses),
      ...anyOf('classTokens', filter.classTokens),
      ...(filter.afterId !== undefined ? { _id: { $gt: filter.afterId } } : {}),
    };
    const period = (filter.period ?? []).map(({ start, end }) => ({
      ...(start ? { periodStart: start } : {}),
      ...(end ? { periodEnd: end } : {}),
    }));
    if (period.length > 0) query.$and = period;
    return this.encounters.find(query, HIDE_OUTBOX).sort({ _id: 1 }).limit(limit).lean<EncounterDocument[]>();
  }
}

/** An equality on one value (pushed down to the engine), `$in` on several. */
function anyOf(field: string, values: readonly string[] | undefined) {
  if (values === undefined) return {};
  return { [field]: values.length === 1 ? values[0] : { $in: [...values] } };
}

function rethrowDuplicate(error: unknown): never {
  if (isDuplicateKey(error)) throw new EncounterIdentifierTakenError();
  throw error;
}
