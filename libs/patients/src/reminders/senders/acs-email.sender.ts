import type { EmailClient } from '@azure/communication-email';
import {
  NotificationMessage,
  NotificationSendError,
  NotificationSender,
  Recipient,
} from './notification-sender';

/** E-mail through Azure Communication Services: a long-running send, done when the service reports Succeeded. */
export class AcsEmailSender implements NotificationSender {
  constructor(
    private readonly client: Pick<EmailClient, 'beginSend'>,
    private readonly from: string,
  ) {}

  async send(recipient: Recipient, message: NotificationMessage): Promise<void> {
    let status: string;
    try {
      const poller = await this.client.beginSend({
        senderAddress: this.from,
        content: { subject: message.subject, plainText: message.text },
        recipients: { to: [{ address: recipient.to }] },
      });
      ({ status } = await poller.pollUntilDone());
    } catch (error) {
      throw new NotificationSendError(
        `acs-email ${(error as { statusCode?: number }).statusCode ?? 'error'}`,
      );
    }
    if (status !== 'Succeeded') throw new NotificationSendError(`acs-email ${status}`);
  }
}
