/** Bounds a rate (tokens per second) with bursts of at most one second's worth; waits rather than refuses. */
export class TokenBucket {
  private tokens: number;
  private updatedAt = Date.now();

  constructor(private readonly perSecond: number) {
    this.tokens = perSecond;
  }

  /** Takes `count` tokens, waiting until the bucket has refilled enough (a debt is paid by waiting). */
  async take(count: number): Promise<void> {
    const now = Date.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
    this.tokens -= count;
    if (this.tokens < 0) await sleep((-this.tokens / this.perSecond) * 1000);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
