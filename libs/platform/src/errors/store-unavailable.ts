import { DomainError, ErrorKind } from './domain-error';

/** How long a caller should wait before retrying after a 503: about the store's server-selection timeout. */
export const RETRY_AFTER_SECONDS = '5';

/**
 * The data store did not answer, or not within STORE_TIMEOUT_MS: the caller may retry. A write cut off this
 * way may still commit in the store, so the answer says so: retried as a conditional write (If-Match names
 * the version it changes, If-None-Exist or a conditional update the identifier it creates, an NHS number
 * is unique) it applies at most once.
 */
export class StoreUnavailableError extends DomainError {
  readonly kind = ErrorKind.Unavailable;

  constructor() {
    super(
      'The data store is unavailable; try again shortly. A change this request asked for may still have ' +
        'been applied: retry it as a conditional write (If-Match, If-None-Exist) so that it applies at most once.',
    );
  }
}

// Matched by name, not class: mongoose bundles its own copy of the driver, so `instanceof` is unreliable.
const CONNECTIVITY_ERRORS = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoOperationTimeoutError',
  'MongoWaitQueueTimeoutError',
]);

/** The server's own time limit on an operation (maxTimeMS) ran out. */
const MAX_TIME_MS_EXPIRED = 50;

/** An error as the HTTP faces should see it: driver connectivity failures become a 503, the rest unchanged. */
export function asDomainError(error: unknown): unknown {
  return isStoreUnavailable(error) ? new StoreUnavailableError() : error;
}

function isStoreUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  if (CONNECTIVITY_ERRORS.has(error.name) || (error as { code?: unknown }).code === MAX_TIME_MS_EXPIRED)
    return true;
  // A bulk write cut off by the network carries the driver's error as its errorResponse.
  const { errorResponse, cause } = error as { errorResponse?: unknown; cause?: unknown };
  return isStoreUnavailable(errorResponse, depth + 1) || isStoreUnavailable(cause, depth + 1);
}
