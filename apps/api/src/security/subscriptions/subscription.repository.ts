import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { KeySlot, Subscription } from './subscription.schema';

/** The only code that touches the subscriptions collection. */
@Injectable()
export class SubscriptionRepository {
  constructor(@InjectModel(Subscription.name) private readonly model: Model<Subscription>) {}

  async create(subscription: Subscription): Promise<Subscription> {
    return (await this.model.create(subscription)).toObject();
  }

  findById(id: string): Promise<Subscription | null> {
    return this.model.findById(id).lean<Subscription>().exec();
  }

  /** Replaces one key slot's hash (null revokes it); single-document atomic update. */
  setKeyHash(id: string, slot: KeySlot, hash: string | null): Promise<Subscription | null> {
    return this.model
      .findByIdAndUpdate(id, { $set: { [`${slot}KeyHash`]: hash } }, { new: true })
      .lean<Subscription>()
      .exec();
  }
}
