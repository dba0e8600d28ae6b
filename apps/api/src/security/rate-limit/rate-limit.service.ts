import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppConfig, SecretName, SecretsService } from '@hdp/platform';
import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { ThrottledException, ThrottleLimit } from '../security-errors';
import { SecurityMetrics } from '../security-metrics';
import type { ClientLimits } from './client-limits';

const QUOTA_PERIOD_S = 30 * 24 * 3600;
const TIER_QUOTA = { standard: 100_000, premium: 1_000_000 } as const;

interface Limiter {
  readonly shared: RateLimiterRedis;
  /**
   * Used while Redis is unreachable: each process then counts the rate limit on its own. Quotas have none:
   * a month's count kept by one process would be lost on restart and wrong across replicas.
   */
  readonly local?: RateLimiterMemory;
}

/**
 * Per-client rate limit and quota, counted in Redis (rate-limiter-flexible's atomic Lua increment) so they
 * hold across replicas and stay exact under concurrency. Both counters are incremented concurrently, so the
 * two commands leave in one write (ioredis auto-pipelining) and their replies return together: one round trip.
 * Redis down: the rate limit is counted per process (so per replica) and quotas pause, so traffic keeps
 * flowing; the fallback is counted in a metric and logged on each transition.
 */
@Injectable()
export class RateLimitService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RateLimitService.name);
  private redis!: Redis;
  private readonly limiters = new Map<string, Limiter>();
  private degraded = false;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: SecurityMetrics,
    private readonly secrets: SecretsService,
  ) {}

  /**
   * Connects once every provider is built, so an app that fails to start leaves no connection behind, and
   * waits a moment for Redis so the first requests are counted in it; starts anyway if Redis is down.
   */
  async onModuleInit(): Promise<void> {
    this.redis = new Redis(this.config.REDIS_URL, {
      password: this.redisPassword(),
      enableAutoPipelining: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 500,
      connectTimeout: 1000,
      retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
    });
    this.redis.on('error', () => this.markDegraded(true));
    this.redis.on('ready', () => this.markDegraded(false));
    // A rotated password is picked up on the next reconnect (the old one stops working when it is revoked).
    this.redis.on('reconnecting', () => (this.redis.options.password = this.redisPassword()));
    this.metrics.sharedStoreUp.addCallback((result) => result.observe(this.sharedStoreUp() ? 1 : 0));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      this.redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private redisPassword(): string | undefined {
    return this.secrets.getOptional(SecretName.RedisPassword);
  }

  /** Whether counters are currently shared through Redis. */
  sharedStoreUp(): boolean {
    return this.redis.status === 'ready';
  }

  /**
   * Counts one call for the client, or throws a 429 naming the limit hit and when to retry. An address
   * that has spent its authentication failures is refused too, even with valid credentials, so a guesser
   * cannot tell a right guess from a wrong one. The three commands share one Redis round trip.
   */
  async consume(limits: ClientLimits, address: string): Promise<void> {
    const rate = this.limiter(
      'rate',
      limits.rateLimitCalls ?? this.config.RATE_LIMIT_CALLS,
      this.config.RATE_LIMIT_PERIOD_S,
    );
    const quota = this.limiter('quota', limits.quotaCalls ?? TIER_QUOTA[limits.tier], QUOTA_PERIOD_S);
    const [rateRefusal, quotaRefusal, failures] = await Promise.all([
      this.consumeOne(rate, limits.key),
      this.consumeOne(quota, limits.key),
      this.failuresOf(address),
    ]);
    if (failures && failures.consumedPoints >= this.config.AUTH_FAILURE_LIMIT)
      this.refuse('auth-failures', failures);
    if (rateRefusal) this.refuse('rate', rateRefusal);
    if (quotaRefusal) this.refuse('quota', quotaRefusal);
  }

  /**
   * Counts a 401 or 403 against the client address; past AUTH_FAILURE_LIMIT in the window, throws the 429
   * to answer instead.
   */
  async countFailure(address: string): Promise<void> {
    const refusal = await this.consumeOne(this.failureLimiter(), address);
    if (refusal) this.refuse('auth-failures', refusal);
  }

  private async failuresOf(address: string): Promise<RateLimiterRes | null> {
    const limiter = this.failureLimiter();
    try {
      return await limiter.shared.get(address);
    } catch {
      return (await limiter.local?.get(address)) ?? null;
    }
  }

  private failureLimiter(): Limiter {
    return this.limiter('auth-failures', this.config.AUTH_FAILURE_LIMIT, this.config.AUTH_FAILURE_PERIOD_S);
  }

  private refuse(limit: ThrottleLimit, res: RateLimiterRes): never {
    this.metrics.rejected(limit);
    throw new ThrottledException(limit, Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }

  /** Resolves the refusal when over the limit, undefined when the call is allowed. */
  private async consumeOne(limiter: Limiter, clientId: string): Promise<RateLimiterRes | undefined> {
    try {
      await limiter.shared.consume(clientId);
      return undefined;
    } catch (error) {
      if (error instanceof RateLimiterRes) return error;
      this.metrics.fellBackToLocalLimiter();
      this.markDegraded(true);
      if (!limiter.local) return undefined;
      return limiter.local.consume(clientId).then(
        () => undefined,
        (refusal: RateLimiterRes) => refusal,
      );
    }
  }

  /**
   * The limiter of a kind, limit and window. Its counters' keys leave the limit out, so a client counts in
   * one counter whatever limit applies to the credential it called with.
   */
  private limiter(kind: ThrottleLimit, points: number, duration: number): Limiter {
    const keyPrefix = `${this.config.RATE_LIMIT_KEY_PREFIX}:${kind}:${duration}`;
    let limiter = this.limiters.get(`${keyPrefix}:${points}`);
    if (!limiter) {
      limiter = {
        shared: new RateLimiterRedis({
          storeClient: this.redis,
          keyPrefix,
          points,
          duration,
          rejectIfRedisNotReady: true,
        }),
        local: kind === 'quota' ? undefined : new RateLimiterMemory({ keyPrefix, points, duration }),
      };
      this.limiters.set(`${keyPrefix}:${points}`, limiter);
    }
    return limiter;
  }

  private markDegraded(degraded: boolean): void {
    if (degraded === this.degraded) return;
    this.degraded = degraded;
    if (degraded) this.logger.warn('Redis unreachable: rate limits now counted per process');
    else this.logger.log('Redis reachable: rate limits shared across replicas again');
  }
}
