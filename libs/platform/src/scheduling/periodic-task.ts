import { Logger } from '@nestjs/common';
import { safeErrorSummary } from '../errors/safe-error-summary';

/**
 * Work a process repeats every `everyMs` while it runs, off any request's path: a failed round is logged
 * (class and stack frames, never its message) and the next one runs anyway. The timer never keeps the
 * process alive.
 */
export class PeriodicTask {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly name: string,
    private readonly work: () => Promise<unknown>,
  ) {
    this.logger = new Logger(name);
  }

  start(everyMs: number): void {
    this.timer = setInterval(() => {
      this.work().catch((error: unknown) =>
        this.logger.error({ error: safeErrorSummary(error) }, `${this.name} failed`),
      );
    }, everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
