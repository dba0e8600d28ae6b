import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, ErrorKind } from '@hdp/platform';
import type { AuthFailureReason } from './security-metrics';

/** 401: the caller did not prove who it is. The detail is the same for every reason, so it teaches nothing. */
export class UnauthenticatedError extends DomainError {
  readonly kind = ErrorKind.Unauthenticated;

  constructor(readonly reason: AuthFailureReason) {
    super('Authentication is required: send a valid bearer token or subscription key.');
  }
}

/** 403: the caller is known but may not do this. */
export class ForbiddenError extends DomainError {
  readonly kind = ErrorKind.Forbidden;

  constructor(message = 'You are not allowed to do this.') {
    super(message);
  }
}

/** Which limit refused a call: the client's rate or quota, or its address's authentication failures. */
export type ThrottleLimit = 'rate' | 'quota' | 'auth-failures';

const THROTTLE_DETAIL: Record<ThrottleLimit, string> = {
  rate: 'Rate limit exceeded; retry later.',
  quota: 'Quota exceeded for this period.',
  'auth-failures': 'Too many refused requests from this address; retry later.',
};

/** 429: a rate limit, quota or failure throttle is spent; Retry-After says when to come back. */
export class ThrottledException extends HttpException {
  constructor(
    readonly limit: ThrottleLimit,
    readonly retryAfterSeconds: number,
  ) {
    super(THROTTLE_DETAIL[limit], HttpStatus.TOO_MANY_REQUESTS);
  }
}
