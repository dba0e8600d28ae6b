import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, safeErrorSummary } from '@hdp/platform';
import { REMINDER_LANES } from '../reminder.schema';
import { RemindersRepository } from '../reminders.repository';
import { ReminderDispatcher } from './reminder-dispatcher';

/**
 * Polls for due reminders every REMINDERS_POLL_MS when REMINDERS_ENABLED. Every replica may run it: each
 * walks the lanes in its own random order (so replicas mostly work different slices) and sends only what
 * it claims.
 */
@Injectable()
export class ReminderSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReminderSchedulerService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    private readonly reminders: RemindersRepository,
    private readonly dispatcher: ReminderDispatcher,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.REMINDERS_ENABLED) this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One round: every due occurrence of every lane, then the due retries; returns how many it sent or tried. */
  async poll(): Promise<number> {
    let handled = 0;
    for (const lane of shuffledLanes()) {
      for (;;) {
        if (this.stopped) return handled;
        const due = await this.reminders.findDue(lane, new Date(), this.config.REMINDERS_BATCH_SIZE);
        if (due.length === 0) break;
        handled += await this.dispatcher.sendOccurrences(due);
        if (due.length < this.config.REMINDERS_BATCH_SIZE) break;
      }
    }
    return handled + (await this.dispatcher.sendRetries());
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      this.running = this.poll()
        .catch((error: unknown) =>
          this.logger.warn({ error: safeErrorSummary(error) }, 'Reminder poll failed'),
        )
        .finally(() => {
          if (!this.stopped) this.schedule(this.config.REMINDERS_POLL_MS);
        });
    }, delay);
    this.timer.unref();
  }
}

function shuffledLanes(): number[] {
  const lanes = Array.from({ length: REMINDER_LANES }, (_, lane) => lane);
  for (let i = lanes.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [lanes[i], lanes[j]] = [lanes[j], lanes[i]];
  }
  return lanes;
}
