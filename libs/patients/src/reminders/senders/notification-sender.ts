/** What a patient receives: never clinical detail beyond what they opted into. */
export interface NotificationMessage {
  readonly subject: string;
  readonly text: string;
}

/** Where it goes: an e-mail address, an E.164 phone number, or a push device handle on its platform. */
export interface Recipient {
  readonly to: string;
  readonly platform?: 'fcm' | 'apns';
}

/** One channel's transport (SMTP, Azure Communication Services, Notification Hubs). */
export interface NotificationSender {
  /** Resolves once the provider accepted the message; throws NotificationSendError otherwise. */
  send(recipient: Recipient, message: NotificationMessage): Promise<void>;
  close?(): void;
}

/**
 * A failed send, described by a provider code only (`smtp 451`, `acs-sms 400`): provider messages can
 * echo the recipient, so they are never kept.
 */
export class NotificationSendError extends Error {
  constructor(readonly code: string) {
    super(`Sending failed: ${code}`);
    this.name = NotificationSendError.name;
  }
}

/** The code to record for any failure of a send. */
export function failureCodeOf(error: unknown): string {
  return error instanceof NotificationSendError ? error.code : 'internal';
}
