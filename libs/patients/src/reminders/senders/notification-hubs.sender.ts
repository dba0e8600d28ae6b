import {
  createAppleNotification,
  createFcmV1Notification,
  NotificationHubsClient,
} from '@azure/notification-hubs';
import {
  NotificationMessage,
  NotificationSendError,
  NotificationSender,
  Recipient,
} from './notification-sender';

const FAILED_STATES = ['Abandoned', 'NoTargetFound', 'Cancelled'];

/** Push through Azure Notification Hubs, sent directly to the patient's device handle (FCM v1 or APNs). */
export class NotificationHubsSender implements NotificationSender {
  constructor(private readonly client: Pick<NotificationHubsClient, 'sendNotification'>) {}

  async send(recipient: Recipient, message: NotificationMessage): Promise<void> {
    const notification =
      recipient.platform === 'apns'
        ? createAppleNotification({
            body: { aps: { alert: { title: message.subject, body: message.text } } },
          })
        : createFcmV1Notification({
            body: { notification: { title: message.subject, body: message.text } },
          });
    let outcome: { state: string; failureCount: number };
    try {
      outcome = await this.client.sendNotification(notification, { deviceHandle: recipient.to });
    } catch (error) {
      throw new NotificationSendError(`push ${(error as { statusCode?: number }).statusCode ?? 'error'}`);
    }
    if (outcome.failureCount > 0 || FAILED_STATES.includes(outcome.state))
      throw new NotificationSendError(`push ${outcome.state}`);
  }
}
