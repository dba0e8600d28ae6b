import type { QuotaTier } from '../subscriptions/subscription.schema';

/** What a client may spend: its own overrides, else the defaults and its tier's quota. */
export interface ClientLimits {
  /** The counter key: one per client, whichever credential it called with (clientCounter). */
  readonly key: string;
  readonly tier: QuotaTier;
  readonly rateLimitCalls?: number;
  readonly quotaCalls?: number;
}

/** The one counter of a client: its subscription keys and its tokens all spend from it. */
export const clientCounter = (clientId: string) => `client:${clientId}`;
