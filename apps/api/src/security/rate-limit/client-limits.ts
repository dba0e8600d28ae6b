import type { QuotaTier } from '../subscriptions/subscription.schema';

/** What a client may spend: its own overrides, else the defaults and its tier's quota. */
export interface ClientLimits {
  /** The counter key: one per subscription or token client. */
  readonly key: string;
  readonly tier: QuotaTier;
  readonly rateLimitCalls?: number;
  readonly quotaCalls?: number;
}
