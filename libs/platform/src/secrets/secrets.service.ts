import { Logger } from '@nestjs/common';
import { safeErrorSummary } from '../errors/safe-error-summary';
import type { SecretSource } from './secret-source';

/** The secrets the platform knows, by their Key Vault names (Key Vault allows letters, digits and dashes). */
export enum SecretName {
  DatabaseUri = 'database-uri',
  AuditSigningKey = 'audit-signing-key',
  SubscriptionKeyPepper = 'subscription-key-pepper',
  OidcIssuer = 'oidc-issuer',
  OidcAudience = 'oidc-audience',
  RedisPassword = 'redis-password',
  DocumentsStorageConnectionString = 'documents-storage-connection-string',
  CommunicationServicesConnectionString = 'communication-services-connection-string',
  NotificationHubsConnectionString = 'notification-hubs-connection-string',
}

export class SecretUnavailableError extends Error {
  constructor(name: string, kind: string, cause?: unknown) {
    const why =
      cause === undefined ? 'it does not exist' : `reading it failed (${safeErrorSummary(cause).name})`;
    super(`Secret "${name}" could not be read from ${kind}: ${why}.`);
    this.name = SecretUnavailableError.name;
  }
}

/**
 * Holds the secrets in memory and re-reads them on an interval, so a rotated secret takes effect without a
 * restart. `get` never waits on the network. A required secret that cannot be read at start-up stops the
 * process with an error naming it (never its value); a failed refresh keeps the last good value.
 */
export class SecretsService {
  private readonly logger = new Logger(SecretsService.name);
  private readonly values = new Map<string, string>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly source: SecretSource,
    private readonly required: readonly string[],
    private readonly optional: readonly string[],
    private readonly refreshMs: number,
  ) {}

  async start(): Promise<void> {
    await Promise.all(this.required.map((name) => this.load(name, true)));
    await Promise.all(this.optional.map((name) => this.load(name, false)));
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Re-reads every secret now; also what the interval does. */
  async refresh(): Promise<void> {
    await Promise.all(
      [...this.required, ...this.optional].map((name) =>
        this.load(name, false).catch((error: unknown) =>
          this.logger.warn({ secret: name, error: safeErrorSummary(error) }, 'Secret refresh failed'),
        ),
      ),
    );
  }

  /** The current value of a required secret. */
  get(name: string): string {
    const value = this.values.get(name);
    if (value === undefined) throw new SecretUnavailableError(name, this.source.kind);
    return value;
  }

  getOptional(name: string): string | undefined {
    return this.values.get(name);
  }

  private async load(name: string, mustExist: boolean): Promise<void> {
    let value: string | undefined;
    try {
      value = await this.source.read(name);
    } catch (error) {
      if (mustExist) throw new SecretUnavailableError(name, this.source.kind, error);
      throw error;
    }
    if (value === undefined) {
      if (mustExist) throw new SecretUnavailableError(name, this.source.kind);
      return;
    }
    this.values.set(name, value);
  }
}
