import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Subscription keys read `<subscription id>.<secret>`: the id finds the record, the secret is checked against
 * the keyed hashes of both slots in constant time. A key is shown once; only its hash is stored.
 */
export function newSubscriptionKey(subscriptionId: string): string {
  return `${subscriptionId}.${randomBytes(32).toString('base64url')}`;
}

const SUBSCRIPTION_ID = /^sub_[\da-f]{24}$/;

export function subscriptionIdOf(key: string): string | undefined {
  const match = /^(sub_[\da-f]{24})\.[\w-]{43}$/.exec(key);
  return match?.[1];
}

/** Whether a client id is shaped like a subscription's. */
export const isSubscriptionId = (clientId: string) => SUBSCRIPTION_ID.test(clientId);

export function hashSubscriptionKey(key: string, pepper: string): string {
  return createHmac('sha256', pepper).update(key).digest('hex');
}

/** Whether the key's hash equals a stored one, in time independent of where they differ. */
export function keyMatches(keyHash: string, storedHash: string | null): boolean {
  if (storedHash === null || storedHash.length !== keyHash.length) return false;
  return timingSafeEqual(Buffer.from(keyHash, 'hex'), Buffer.from(storedHash, 'hex'));
}
