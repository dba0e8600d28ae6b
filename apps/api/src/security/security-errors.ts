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

/** 429: the client's rate limit or quota is spent; Retry-After says when to come back. */
export class ThrottledException extends HttpException {
  constructor(
    readonly limit: 'rate' | 'quota',
    readonly retryAfterSeconds: number,
  ) {
    super(
      limit === 'rate' ? 'Rate limit exceeded; retry later.' : 'Quota exceeded for this period.',
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
