import { EmailClient } from '@azure/communication-email';
import { SmsClient } from '@azure/communication-sms';
import { NotificationHubsClient } from '@azure/notification-hubs';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, SecretName, SecretsService } from '@hdp/platform';
import type { Channel } from '../dto/notification-preferences.dto';
import { AcsEmailSender } from './acs-email.sender';
import { AcsSmsSender } from './acs-sms.sender';
import { NotificationHubsSender } from './notification-hubs.sender';
import { NotificationSendError, NotificationSender } from './notification-sender';
import { SmtpSender } from './smtp.sender';

/** A channel whose provider is not configured: every send fails, visibly, with this code. */
class UnconfiguredSender implements NotificationSender {
  constructor(private readonly channel: Channel) {}

  send(): Promise<void> {
    return Promise.reject(new NotificationSendError(`${this.channel} not-configured`));
  }
}

/**
 * The sender of each channel, chosen by REMINDERS_SENDER: SMTP for every channel (local, tests), or Azure
 * Communication Services (e-mail, SMS) and Notification Hubs (push), with connection strings from the
 * secrets provider.
 */
@Injectable()
export class NotificationSenders implements OnApplicationShutdown {
  private readonly senders: Record<Channel, NotificationSender>;

  constructor(config: AppConfig, secrets: SecretsService) {
    this.senders = config.REMINDERS_SENDER === 'azure' ? azureSenders(config, secrets) : smtpSenders(config);
  }

  for(channel: Channel): NotificationSender {
    return this.senders[channel];
  }

  onApplicationShutdown(): void {
    for (const sender of Object.values(this.senders)) sender.close?.();
  }
}

function smtpSenders(config: AppConfig): Record<Channel, NotificationSender> {
  const smtp = (domain?: string) =>
    new SmtpSender(
      config.REMINDERS_SMTP_URL,
      config.REMINDERS_EMAIL_FROM,
      config.REMINDERS_SEND_CONCURRENCY,
      domain,
    );
  return { email: smtp(), sms: smtp('sms.localhost'), push: smtp('push.localhost') };
}

function azureSenders(config: AppConfig, secrets: SecretsService): Record<Channel, NotificationSender> {
  const acs = secrets.getOptional(SecretName.CommunicationServicesConnectionString);
  const hubs = secrets.getOptional(SecretName.NotificationHubsConnectionString);
  return {
    email: acs
      ? new AcsEmailSender(new EmailClient(acs), config.REMINDERS_EMAIL_FROM)
      : new UnconfiguredSender('email'),
    sms:
      acs && config.REMINDERS_SMS_FROM
        ? new AcsSmsSender(new SmsClient(acs), config.REMINDERS_SMS_FROM)
        : new UnconfiguredSender('sms'),
    push:
      hubs && config.REMINDERS_NOTIFICATION_HUB_NAME
        ? new NotificationHubsSender(new NotificationHubsClient(hubs, config.REMINDERS_NOTIFICATION_HUB_NAME))
        : new UnconfiguredSender('push'),
  };
}
