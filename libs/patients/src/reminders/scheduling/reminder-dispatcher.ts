import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AuditAction, AuditLedgerService } from '@hdp/audit';
import { AppConfig, RequestContext, safeErrorSummary } from '@hdp/platform';
import { recordEvent } from '../../record-event';
import { NotificationPreferencesRepository } from '../preferences/notification-preferences.repository';
import { NotificationPreferencesRecord } from '../preferences/notification-preferences.schema';
import { reminderMessage } from '../reminder-message';
import { followingOccurrence, nextDue } from '../reminder-timing';
import { ReminderRecord } from '../reminder.schema';
import { RemindersRepository } from '../reminders.repository';
import { failureCodeOf, NotificationSendError, Recipient } from '../senders/notification-sender';
import { NotificationSenders } from '../senders/notification-senders';
import { AttemptOutcome, ReminderDeliveriesRepository } from './reminder-deliveries.repository';
import { ReminderDeliveryRecord } from './reminder-delivery.schema';

/** Who the ledger names for what the scheduler does: no request, no user. */
const SCHEDULER = { id: 'reminder-scheduler', clientId: 'hdp-reminders', roles: [], scopes: [] };

interface Attempt {
  readonly delivery: ReminderDeliveryRecord;
  readonly reminder?: ReminderRecord;
  readonly preferences?: NotificationPreferencesRecord;
}

/**
 * Claims and sends reminder occurrences and retries. A claim is a unique insert (the delivery for a first
 * attempt, `<delivery>:attempt-n` for a retry): only its winner sends, however many schedulers run.
 */
@Injectable()
export class ReminderDispatcher {
  private readonly logger = new Logger(ReminderDispatcher.name);

  constructor(
    private readonly config: AppConfig,
    private readonly reminders: RemindersRepository,
    private readonly deliveries: ReminderDeliveriesRepository,
    private readonly preferences: NotificationPreferencesRepository,
    private readonly senders: NotificationSenders,
    private readonly ledger: AuditLedgerService,
  ) {}

  /** Sends the due occurrences of these reminders that no other scheduler claimed, then moves them on. */
  async sendOccurrences(due: ReminderRecord[]): Promise<number> {
    const preferences = await this.preferences.findMany(due.map(({ patientId }) => patientId));
    const claims = due.map((reminder) => ({
      reminderId: reminder._id,
      patientId: reminder.patientId,
      occurrence: reminder.nextOccurrence!,
      dueAt: reminder.nextDueAt!,
      channel: reminder.channel,
    }));
    const byId = new Map(due.map((reminder) => [reminder._id, reminder]));
    let sent = 0;
    // Claimed a send's worth at a time, so a lease covers only what is in flight, not a whole batch.
    for (let start = 0; start < claims.length; start += this.config.REMINDERS_SEND_CONCURRENCY) {
      const chunk = claims.slice(start, start + this.config.REMINDERS_SEND_CONCURRENCY);
      const won = await this.deliveries.claimOccurrences(chunk, this.leaseUntil());
      await this.run(
        won.map((delivery) => ({
          delivery,
          reminder: byId.get(delivery.reminderId),
          preferences: preferences.get(delivery.patientId),
        })),
      );
      sent += won.length;
    }
    // Claimed here or elsewhere, these occurrences are taken: every scheduler that saw them moves them on.
    await this.reminders.advance(
      due.map((reminder) => {
        const zone = preferences.get(reminder.patientId)?.timeZone ?? 'UTC';
        const occurrence = followingOccurrence(reminder, zone, reminder.nextOccurrence!);
        return {
          id: reminder._id,
          lane: reminder.lane,
          after: reminder.nextOccurrence!,
          next: nextDue(occurrence, zone, preferences.get(reminder.patientId)?.quietHours),
        };
      }),
    );
    return sent;
  }

  /** Retries whose time has come, and attempts whose scheduler died (lease expired). */
  async sendRetries(): Promise<number> {
    const retriable = await this.deliveries.findRetriable(new Date(), this.config.REMINDERS_BATCH_SIZE);
    if (retriable.length === 0) return 0;
    const max = this.config.REMINDERS_MAX_ATTEMPTS;
    // Only a lost attempt (lease expired) can have used the last one: it is given up, not sent again.
    const exhausted = retriable.filter(({ attempts }) => attempts >= max);
    await this.deliveries.record(
      exhausted.map(({ _id }) => ({ id: _id, sent: false, failure: 'lease-expired' })),
    );
    const won = await this.deliveries.claimRetries(
      retriable.filter(({ attempts }) => attempts < max),
      this.leaseUntil(),
    );
    const [reminders, preferences] = await Promise.all([
      this.reminders.findLiveByIds(won.map(({ reminderId }) => reminderId)),
      this.preferences.findMany(won.map(({ patientId }) => patientId)),
    ]);
    await this.run(
      won.map((delivery) => ({
        delivery,
        reminder: reminders.get(delivery.reminderId),
        preferences: preferences.get(delivery.patientId),
      })),
    );
    return won.length;
  }

  /**
   * Sends with bounded concurrency, keeping the leases alive while it does, then appends the attempts'
   * ledger entries together (one group commit per chain) and records their outcomes in bulk.
   */
  private async run(attempts: Attempt[]): Promise<void> {
    if (attempts.length === 0) return;
    const outcomes = await this.whileLeased(
      attempts.map(({ delivery }) => delivery._id),
      () => this.sendAll(attempts),
    );
    const context = this.context();
    await Promise.all(
      attempts.map(({ delivery }, index) =>
        this.ledger.record(
          {
            ...recordEvent(AuditAction.Create, 'Communication', delivery.patientId, delivery.reminderId),
            outcome: outcomes[index].sent ? 201 : 502,
          },
          context,
        ),
      ),
    );
    await this.deliveries.record(outcomes);
  }

  private async sendAll(attempts: Attempt[]): Promise<AttemptOutcome[]> {
    const outcomes: AttemptOutcome[] = [];
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < attempts.length; index = next++)
        outcomes[index] = await this.attempt(attempts[index]);
    };
    await Promise.all(Array.from({ length: this.config.REMINDERS_SEND_CONCURRENCY }, worker));
    return outcomes;
  }

  /** Runs `work`, renewing the deliveries' leases every third of a lease until it ends. */
  private async whileLeased<T>(ids: string[], work: () => Promise<T>): Promise<T> {
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = this.deliveries
        .renewLeases(ids, this.leaseUntil())
        .catch((error: unknown) =>
          this.logger.warn({ error: safeErrorSummary(error) }, 'Renewing reminder leases failed'),
        );
    }, this.config.REMINDERS_LEASE_MS / 3);
    try {
      return await work();
    } finally {
      clearInterval(timer);
      await renewing;
    }
  }

  /** One attempt: sent, or failed with a retry after an exponential back-off until the attempts run out. */
  private async attempt({ delivery, reminder, preferences }: Attempt): Promise<AttemptOutcome> {
    try {
      if (!reminder || !preferences) throw new NotificationSendError('reminder-deleted');
      const recipient = recipientOf(preferences, delivery.channel);
      await this.senders.for(delivery.channel).send(recipient, reminderMessage(reminder, preferences));
      return { id: delivery._id, sent: true };
    } catch (error) {
      const failure = failureCodeOf(error);
      const retry = delivery.attempts < this.config.REMINDERS_MAX_ATTEMPTS && failure !== 'reminder-deleted';
      const backOff = this.config.REMINDERS_RETRY_BASE_MS * 2 ** (delivery.attempts - 1);
      return {
        id: delivery._id,
        sent: false,
        failure,
        retryAt: retry ? new Date(Date.now() + backOff) : undefined,
      };
    }
  }

  private leaseUntil(): Date {
    return new Date(Date.now() + this.config.REMINDERS_LEASE_MS);
  }

  private context(): RequestContext {
    return {
      requestId: randomUUID(),
      traceId: randomBytes(16).toString('hex'),
      clientAddress: 'internal',
      principal: SCHEDULER,
    };
  }
}

function recipientOf(
  preferences: NotificationPreferencesRecord,
  channel: ReminderDeliveryRecord['channel'],
): Recipient {
  const { email, sms, push } = preferences.channels;
  if (channel === 'email' && email) return { to: email.address };
  if (channel === 'sms' && sms) return { to: sms.phone };
  if (channel === 'push' && push) return { to: push.handle, platform: push.platform };
  throw new NotificationSendError(`${channel} no-destination`);
}
