import type { SmsClient } from '@azure/communication-sms';
import {
  NotificationMessage,
  NotificationSendError,
  NotificationSender,
  Recipient,
} from './notification-sender';

/** SMS through Azure Communication Services; a per-recipient result with `successful: false` is a failure. */
export class AcsSmsSender implements NotificationSender {
  constructor(
    private readonly client: Pick<SmsClient, 'send'>,
    private readonly from: string,
  ) {}

  async send(recipient: Recipient, message: NotificationMessage): Promise<void> {
    let results: Awaited<ReturnType<SmsClient['send']>>;
    try {
      results = await this.client.send({ from: this.from, to: [recipient.to], message: message.text });
    } catch (error) {
      throw new NotificationSendError(`acs-sms ${(error as { statusCode?: number }).statusCode ?? 'error'}`);
    }
    const result = results[0];
    if (!result?.successful)
      throw new NotificationSendError(`acs-sms ${result?.httpStatusCode ?? 'no-result'}`);
  }
}
