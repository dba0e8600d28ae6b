import { DomainError, ErrorKind } from '@hdp/platform';
import { sleep } from './token-bucket';

/** Exponential back-off with full jitter: attempt n waits a random time up to min(maxMs, baseMs * 2^n). */
export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
}

export class RetryAbortedError extends Error {
  constructor() {
    super('Stopped retrying: the pipeline is shutting down');
    this.name = RetryAbortedError.name;
  }
}

/**
 * Runs `operation` until it succeeds, backing off between failures; gives up only when `signal` aborts
 * (shutdown), so an unavailable store holds the pipeline (and its checkpoint) instead of losing readings.
 */
export async function retryUntilDone<T>(
  operation: () => Promise<T>,
  options: BackoffOptions & { signal: AbortSignal; onFailure?: (error: unknown) => void },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    if (options.signal.aborted) throw new RetryAbortedError();
    try {
      return await operation();
    } catch (error) {
      if (!isTransient(error)) throw error;
      options.onFailure?.(error);
      const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
      await sleep(Math.random() * ceiling, options.signal);
    }
  }
}

/** Errors of the code's own rules (a DomainError) do not heal by retrying, but for "unavailable"; store errors may. */
function isTransient(error: unknown): boolean {
  return !(error instanceof DomainError) || error.kind === ErrorKind.Unavailable;
}
