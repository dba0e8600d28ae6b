import { Injectable } from '@nestjs/common';
import { Counter, metrics, ObservableGauge } from '@opentelemetry/api';
import type { ThrottleLimit } from './security-errors';

/** Why a request was not authenticated: the one label of the failure counter, never the token itself. */
export type AuthFailureReason =
  | 'missing-credentials'
  | 'malformed-token'
  | 'invalid-token'
  | 'expired-token'
  | 'unknown-key'
  | 'issuer-unavailable'
  | 'invalid-subscription-key';

/**
 * The security pipeline's counters, through the OpenTelemetry API: no-ops until the process registers a
 * MeterProvider. Labels carry reasons and route kinds, never identities or patient data.
 */
@Injectable()
export class SecurityMetrics {
  private readonly meter = metrics.getMeter('hdp.security');
  private readonly authFailures: Counter = this.meter.createCounter('security.authentication.failures', {
    description: 'Requests refused with 401, by reason',
  });
  private readonly forbidden: Counter = this.meter.createCounter('security.authorisation.denials', {
    description: 'Requests refused with 403, by reason',
  });
  private readonly throttled: Counter = this.meter.createCounter('security.rate_limit.rejections', {
    description: 'Requests refused with 429, by limit (rate or quota)',
  });
  private readonly breakGlass: Counter = this.meter.createCounter('security.break_glass.uses', {
    description: 'Denials overridden by a clinician declaring a break-glass reason',
  });
  private readonly fallbacks: Counter = this.meter.createCounter('security.rate_limit.local_fallbacks', {
    description: 'Rate-limit decisions taken by the per-process limiter because Redis was unreachable',
  });
  readonly sharedStoreUp: ObservableGauge = this.meter.createObservableGauge(
    'security.rate_limit.shared_store_up',
    {
      description: '1 while rate-limit counters are shared through Redis, 0 while each process counts alone',
    },
  );

  authenticationFailed(reason: AuthFailureReason): void {
    this.authFailures.add(1, { reason });
  }

  denied(reason: 'role' | 'scope' | 'network' | 'patient-context' | 'undeclared'): void {
    this.forbidden.add(1, { reason });
  }

  rejected(limit: ThrottleLimit): void {
    this.throttled.add(1, { limit });
  }

  brokeGlass(): void {
    this.breakGlass.add(1);
  }

  fellBackToLocalLimiter(): void {
    this.fallbacks.add(1);
  }
}
