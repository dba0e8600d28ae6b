import { Injectable } from '@nestjs/common';
import { DomainError, ErrorKind, Principal, Role, SecretName, SecretsService } from '@hdp/platform';
import { randomBytes } from 'node:crypto';
import { clientCounter, ClientLimits } from '../rate-limit/client-limits';
import { UnauthenticatedError } from '../security-errors';
import {
  SubscriptionCreateDto,
  SubscriptionCreatedDto,
  SubscriptionKeyDto,
  SubscriptionResponseDto,
} from './dto/subscription.dto';
import {
  hashSubscriptionKey,
  isSubscriptionId,
  keyMatches,
  newSubscriptionKey,
  subscriptionIdOf,
} from './subscription-key';
import { KeySlot, Subscription } from './subscription.schema';
import { SubscriptionRepository } from './subscription.repository';

export class SubscriptionNotFoundError extends DomainError {
  readonly kind = ErrorKind.NotFound;

  constructor() {
    super('No such subscription.');
  }
}

/** Partner systems' subscriptions: creation, key rotation and revocation, and authentication by key. */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly repository: SubscriptionRepository,
    private readonly secrets: SecretsService,
  ) {}

  async create(input: SubscriptionCreateDto): Promise<SubscriptionCreatedDto> {
    const id = `sub_${randomBytes(12).toString('hex')}`;
    const primaryKey = newSubscriptionKey(id);
    const secondaryKey = newSubscriptionKey(id);
    const created = await this.repository.create({
      _id: id,
      ...input,
      primaryKeyHash: this.hash(primaryKey),
      secondaryKeyHash: this.hash(secondaryKey),
    });
    return { ...toResponse(created), primaryKey, secondaryKey };
  }

  async get(id: string): Promise<SubscriptionResponseDto> {
    return toResponse(await this.found(this.repository.findById(id)));
  }

  /** Replaces one slot's key; the other slot keeps serving, so clients switch over without a failed call. */
  async rotate(id: string, slot: KeySlot): Promise<SubscriptionKeyDto> {
    const key = newSubscriptionKey(id);
    await this.found(this.repository.setKeyHash(id, slot, this.hash(key)));
    return { subscriptionId: id, slot, key };
  }

  async revoke(id: string, slot: KeySlot): Promise<void> {
    await this.found(this.repository.setKeyHash(id, slot, null));
  }

  /** The partner system a key belongs to, or a 401 for a wrong, revoked or malformed key. */
  async authenticate(key: string): Promise<{ principal: Principal; limits: ClientLimits }> {
    const id = subscriptionIdOf(key);
    const subscription = id ? await this.repository.findById(id) : null;
    const hash = this.hash(key);
    const primary = keyMatches(hash, subscription?.primaryKeyHash ?? null);
    const secondary = keyMatches(hash, subscription?.secondaryKeyHash ?? null);
    if (!subscription || !(primary || secondary)) throw new UnauthenticatedError('invalid-subscription-key');
    return {
      principal: {
        id: subscription._id,
        clientId: subscription._id,
        roles: [Role.PartnerSystem],
        scopes: subscription.scopes,
      },
      limits: limitsOf(subscription),
    };
  }

  /** The limits of the subscription a token's client id names, if it names one. */
  async limitsOf(clientId: string): Promise<ClientLimits | undefined> {
    if (!isSubscriptionId(clientId)) return undefined;
    const subscription = await this.repository.findById(clientId);
    return subscription ? limitsOf(subscription) : undefined;
  }

  private hash(key: string): string {
    return hashSubscriptionKey(key, this.secrets.get(SecretName.SubscriptionKeyPepper));
  }

  private async found(pending: Promise<Subscription | null>): Promise<Subscription> {
    const subscription = await pending;
    if (!subscription) throw new SubscriptionNotFoundError();
    return subscription;
  }
}

function toResponse(subscription: Subscription): SubscriptionResponseDto {
  return {
    id: subscription._id,
    name: subscription.name,
    tier: subscription.tier,
    scopes: subscription.scopes,
    ...(subscription.rateLimitCalls ? { rateLimitCalls: subscription.rateLimitCalls } : {}),
    ...(subscription.quotaCalls ? { quotaCalls: subscription.quotaCalls } : {}),
    keys: {
      primary: subscription.primaryKeyHash ? 'active' : 'revoked',
      secondary: subscription.secondaryKeyHash ? 'active' : 'revoked',
    },
  };
}

function limitsOf(subscription: Subscription): ClientLimits {
  return {
    key: clientCounter(subscription._id),
    tier: subscription.tier,
    rateLimitCalls: subscription.rateLimitCalls,
    quotaCalls: subscription.quotaCalls,
  };
}
