import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { HydratedDocument } from 'mongoose';

export type QuotaTier = 'standard' | 'premium';
export type KeySlot = 'primary' | 'secondary';

/** A partner system's subscription: its two key slots hold only keyed hashes of the keys, never the keys. */
@Schema({ collection: 'subscriptions', timestamps: true, versionKey: false })
export class Subscription {
  @Prop({ required: true, type: String })
  _id!: string;

  @Prop({ required: true })
  name!: string;

  @Prop({ required: true, enum: ['standard', 'premium'], type: String })
  tier!: QuotaTier;

  @Prop({ type: [String], default: [] })
  scopes!: string[];

  /** Calls per period overriding the default rate limit; absent: the default. */
  @Prop({ type: Number })
  rateLimitCalls?: number;

  @Prop({ type: Number })
  quotaCalls?: number;

  /** HMAC-SHA256 of the key under the pepper, hex; null once revoked. */
  @Prop({ type: String, default: null })
  primaryKeyHash!: string | null;

  @Prop({ type: String, default: null })
  secondaryKeyHash!: string | null;
}

export type SubscriptionDocument = HydratedDocument<Subscription>;
export const SubscriptionSchema = SchemaFactory.createForClass(Subscription);
