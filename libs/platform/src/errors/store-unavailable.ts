import { DomainError, ErrorKind } from './domain-error';

/** How long a caller should wait before retrying after a 503: about the store's server-selection timeout. */
export const RETRY_AFTER_SECONDS = '5';

/** The data store did not answer: the caller may retry; nothing was changed that is not recoverable. */
export class StoreUnavailableError extends DomainError {
  readonly kind = ErrorKind.Unavailable;

  constructor() {
    super('The data store is unavailable; try again shortly.');
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
]);

/** An error as the HTTP faces should see it: driver connectivity failures become a 503, the rest unchanged. */
export function asDomainError(error: unknown): unknown {
  return error instanceof Error && CONNECTIVITY_ERRORS.has(error.name) ? new StoreUnavailableError() : error;
}
