import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKey } from '../../duplicate-key';
import type { Channel } from '../dto/notification-preferences.dto';
import { ReminderAttemptClaimRecord, ReminderDeliveryRecord } from './reminder-delivery.schema';

/** A first attempt to claim: one occurrence of one reminder. */
export interface OccurrenceClaim {
  readonly reminderId: string;
  readonly patientId: string;
  readonly occurrence: Date;
  readonly dueAt: Date;
  readonly channel: Channel;
}

/** What an attempt came to: sent, or a failure code with the next attempt's time (none: given up). */
export type AttemptOutcome =
  | { readonly id: string; readonly sent: true }
  | { readonly id: string; readonly sent: false; readonly failure: string; readonly retryAt?: Date };

const MAX_LISTED = 50;

export function deliveryIdOf(reminderId: string, occurrence: Date): string {
  return `${reminderId}:${occurrence.toISOString()}`;
}

/**
 * The only code that touches reminder_deliveries and reminder_delivery_attempts. Claims are unique inserts
 * (the attempt's record itself, kept for the ledger of attempts); after a claim only its winner writes the
 * delivery until the attempt ends, so the updates below never race.
 */
@Injectable()
export class ReminderDeliveriesRepository {
  constructor(
    @InjectModel(ReminderDeliveryRecord.name) private readonly deliveries: Model<ReminderDeliveryRecord>,
    @InjectModel(ReminderAttemptClaimRecord.name)
    private readonly attempts: Model<ReminderAttemptClaimRecord>,
  ) {}

  /** Inserts first-attempt deliveries; returns those this caller won (the others were claimed already). */
  async claimOccurrences(claims: OccurrenceClaim[], leaseUntil: Date): Promise<ReminderDeliveryRecord[]> {
    const now = new Date();
    const records: ReminderDeliveryRecord[] = claims.map((claim) => ({
      _id: deliveryIdOf(claim.reminderId, claim.occurrence),
      ...claim,
      state: 'sending',
      attempts: 1,
      leaseUntil,
      updatedAt: now,
    }));
    const lost = await this.insertUnordered(this.deliveries, records);
    return records.filter(({ _id }) => !lost.has(_id));
  }

  /** Retries whose time has come and attempts whose lease ran out. */
  async findRetriable(now: Date, limit: number): Promise<ReminderDeliveryRecord[]> {
    const [retrying, expired] = await Promise.all([
      this.deliveries
        .find({ state: 'retrying', nextAttemptAt: { $lte: now } })
        .limit(limit)
        .lean<ReminderDeliveryRecord[]>(),
      this.deliveries
        .find({ state: 'sending', leaseUntil: { $lt: now } })
        .limit(limit)
        .lean<ReminderDeliveryRecord[]>(),
    ]);
    return [...retrying, ...expired];
  }

  /** Claims attempt `attempts + 1` of each delivery by a unique insert; returns the deliveries won. */
  async claimRetries(
    deliveries: ReminderDeliveryRecord[],
    leaseUntil: Date,
  ): Promise<ReminderDeliveryRecord[]> {
    const claimedAt = new Date();
    const claims = deliveries.map((delivery) => ({
      _id: `${delivery._id}:attempt-${delivery.attempts + 1}`,
      deliveryId: delivery._id,
      claimedAt,
    }));
    const lost = await this.insertUnordered(this.attempts, claims);
    const won = deliveries.filter((_, index) => !lost.has(claims[index]._id));
    await Promise.all(
      won.map((delivery) =>
        this.deliveries.updateOne(
          // The state equality: a delivery another scheduler moved on meanwhile is left alone.
          { state: delivery.state, _id: delivery._id },
          { $set: { state: 'sending', attempts: delivery.attempts + 1, leaseUntil, updatedAt: claimedAt } },
        ),
      ),
    );
    return won.map((delivery) => ({ ...delivery, attempts: delivery.attempts + 1, state: 'sending' }));
  }

  /** Records attempts' outcomes: all sent ones in one update, each failure on its own. */
  async record(outcomes: AttemptOutcome[]): Promise<void> {
    const now = new Date();
    const sent = outcomes.filter((outcome) => outcome.sent).map(({ id }) => id);
    const failed = outcomes.filter((outcome) => !outcome.sent);
    await Promise.all([
      sent.length > 0 &&
        this.deliveries.updateMany(
          { state: 'sending', _id: { $in: sent } },
          {
            $set: { state: 'sent', sentAt: now, updatedAt: now },
            $unset: { leaseUntil: 1, nextAttemptAt: 1 },
          },
        ),
      ...failed.map((outcome) =>
        this.deliveries.updateOne(
          { state: 'sending', _id: outcome.id },
          {
            $set: {
              state: outcome.retryAt ? 'retrying' : 'failed',
              lastFailure: outcome.failure,
              ...(outcome.retryAt && { nextAttemptAt: outcome.retryAt }),
              updatedAt: now,
            },
            $unset: { leaseUntil: 1 },
          },
        ),
      ),
    ]);
  }

  /** Pushes the lease of attempts still in flight further out, so no other scheduler takes them over. */
  async renewLeases(ids: string[], leaseUntil: Date): Promise<void> {
    await this.deliveries.updateMany({ state: 'sending', _id: { $in: ids } }, { $set: { leaseUntil } });
  }

  /** A reminder's deliveries, newest occurrence first. */
  async listFor(reminderId: string): Promise<ReminderDeliveryRecord[]> {
    return this.deliveries
      .find({ reminderId })
      .sort({ occurrence: -1 })
      .limit(MAX_LISTED)
      .lean<ReminderDeliveryRecord[]>();
  }

  async removeForPatient(patientId: string): Promise<void> {
    await this.deliveries.deleteMany({ patientId });
  }

  /** Inserts what it can; returns the ids that were already there. */
  private async insertUnordered<T>(model: Model<T>, documents: { _id: string }[]): Promise<Set<string>> {
    if (documents.length === 0) return new Set();
    try {
      await model.collection.insertMany(documents as never[], { ordered: false });
      return new Set();
    } catch (error) {
      const writeErrors = (error as { writeErrors?: { index: number; code?: number; errmsg?: string }[] })
        .writeErrors;
      if (!writeErrors || !writeErrors.every((e) => isDuplicateKey({ code: e.code, message: e.errmsg })))
        throw error;
      return new Set(writeErrors.map((e) => documents[e.index]._id));
    }
  }
}
