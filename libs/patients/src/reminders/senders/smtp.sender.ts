import { createTransport, Transporter } from 'nodemailer';
import {
  NotificationMessage,
  NotificationSendError,
  NotificationSender,
  Recipient,
} from './notification-sender';

/**
 * E-mail over SMTP (nodemailer, pooled connections). Locally and in tests every channel goes this way:
 * SMS and push become e-mails to `<number>@sms.localhost` and `<handle>@push.localhost`, so what a patient
 * would get can be read from one SMTP server.
 */
export class SmtpSender implements NotificationSender {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
    maxConnections: number,
    private readonly domain?: string,
  ) {
    this.transport = createTransport({ url, pool: true, maxConnections, maxMessages: Infinity } as never);
  }

  async send(recipient: Recipient, message: NotificationMessage): Promise<void> {
    const to = this.domain ? `${recipient.to.replace(/[^\w+.-]/g, '_')}@${this.domain}` : recipient.to;
    try {
      await this.transport.sendMail({ from: this.from, to, subject: message.subject, text: message.text });
    } catch (error) {
      const { responseCode, code } = error as { responseCode?: number; code?: string };
      throw new NotificationSendError(`smtp ${responseCode ?? code ?? 'error'}`);
    }
  }

  close(): void {
    this.transport.close();
  }
}
