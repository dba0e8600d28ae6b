import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { IntakeBatch } from './intake-batch.schema';

export interface ClaimedBatch {
  readonly id: string;
  readonly events: readonly string[];
}

/** The only code touching the intake queue. */
@Injectable()
export class IntakeRepository {
  constructor(@InjectModel(IntakeBatch.name) private readonly model: Model<IntakeBatch>) {}

  async enqueue(events: readonly string[]): Promise<void> {
    await this.model.create({ events, receivedAt: new Date(), leaseUntil: new Date(0), attempts: 0 });
  }

  /** Atomically leases the oldest claimable batch (one document, no transaction), or undefined. */
  async claim(leaseMs: number): Promise<ClaimedBatch | undefined> {
    const now = new Date();
    const doc = await this.model
      .findOneAndUpdate(
        { leaseUntil: { $lte: now } },
        { $set: { leaseUntil: new Date(now.getTime() + leaseMs) }, $inc: { attempts: 1 } },
        { sort: { leaseUntil: 1 }, new: true },
      )
      .lean();
    return doc ? { id: String(doc._id), events: doc.events } : undefined;
  }

  async remove(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id });
  }

  async count(): Promise<number> {
    return this.model.countDocuments();
  }
}
