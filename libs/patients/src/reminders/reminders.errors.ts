import { DomainError, ErrorKind } from '@hdp/platform';

export class ReminderNotFoundError extends DomainError {
  readonly kind = ErrorKind.NotFound;
  constructor() {
    super('No reminder with this id for this patient.');
  }
}

export class NotificationPreferencesNotFoundError extends DomainError {
  readonly kind = ErrorKind.NotFound;
  constructor() {
    super('This patient has no notification preferences yet.');
  }
}

/** Reminders need somewhere to go: the patient's preferences, with the channel the reminder uses. */
export class NoNotificationChannelError extends DomainError {
  readonly kind = ErrorKind.Unprocessable;
  constructor(channel?: string) {
    super(
      channel
        ? `The patient's notification preferences have no ${channel} channel.`
        : 'Set the patient’s notification preferences before adding reminders.',
    );
  }
}

export class TooManyRemindersError extends DomainError {
  readonly kind = ErrorKind.Unprocessable;
  constructor(max: number) {
    super(`A patient may have at most ${max} reminders.`);
  }
}
