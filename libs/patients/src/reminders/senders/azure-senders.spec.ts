import { AcsEmailSender } from './acs-email.sender';
import { AcsSmsSender } from './acs-sms.sender';
import { NotificationHubsSender } from './notification-hubs.sender';
import { NotificationSendError } from './notification-sender';

const MESSAGE = { subject: 'Reminder', text: 'You have a medication reminder.' };

/** Fakes shaped as the SDKs document their results; no call leaves the process. */
describe('Azure senders', () => {
  it('sends e-mail through ACS and waits for the long-running send to succeed', async () => {
    const beginSend = jest
      .fn()
      .mockResolvedValue({ pollUntilDone: () => Promise.resolve({ status: 'Succeeded' }) });
    await new AcsEmailSender({ beginSend }, 'reminders@example.org').send({ to: 'p@example.org' }, MESSAGE);
    expect(beginSend).toHaveBeenCalledWith({
      senderAddress: 'reminders@example.org',
      content: { subject: 'Reminder', plainText: MESSAGE.text },
      recipients: { to: [{ address: 'p@example.org' }] },
    });
  });

  it('fails an ACS e-mail whose operation ends other than Succeeded, or whose request is refused', async () => {
    const failed = {
      beginSend: () => Promise.resolve({ pollUntilDone: () => Promise.resolve({ status: 'Failed' }) }),
    };
    await expect(
      new AcsEmailSender(failed as never, 'r@x.org').send({ to: 'p@x.org' }, MESSAGE),
    ).rejects.toEqual(new NotificationSendError('acs-email Failed'));
    const refused = {
      beginSend: () => Promise.reject(Object.assign(new Error('p@x.org bad'), { statusCode: 400 })),
    };
    await expect(
      new AcsEmailSender(refused as never, 'r@x.org').send({ to: 'p@x.org' }, MESSAGE),
    ).rejects.toEqual(new NotificationSendError('acs-email 400'));
  });

  it('sends SMS through ACS and treats an unsuccessful per-recipient result as a failure', async () => {
    const send = jest
      .fn()
      .mockResolvedValue([{ to: '+447700900123', successful: true, httpStatusCode: 202 }]);
    await new AcsSmsSender({ send }, '+441234567890').send({ to: '+447700900123' }, MESSAGE);
    expect(send).toHaveBeenCalledWith({
      from: '+441234567890',
      to: ['+447700900123'],
      message: MESSAGE.text,
    });
    const unsuccessful = { send: () => Promise.resolve([{ successful: false, httpStatusCode: 400 }]) };
    await expect(new AcsSmsSender(unsuccessful as never, '+44').send({ to: '+44' }, MESSAGE)).rejects.toEqual(
      new NotificationSendError('acs-sms 400'),
    );
  });

  it('pushes directly to the device handle in its platform’s format', async () => {
    const sendNotification = jest
      .fn()
      .mockResolvedValue({ state: 'Enqueued', successCount: 0, failureCount: 0 });
    await new NotificationHubsSender({ sendNotification }).send(
      { to: 'handle-1', platform: 'apns' },
      MESSAGE,
    );
    const [notification, options] = sendNotification.mock.calls[0];
    expect(notification.platform).toBe('apple');
    expect(JSON.parse(notification.body)).toEqual({
      aps: { alert: { title: 'Reminder', body: MESSAGE.text } },
    });
    expect(options).toEqual({ deviceHandle: 'handle-1' });
    const abandoned = {
      sendNotification: () => Promise.resolve({ state: 'NoTargetFound', failureCount: 0 }),
    };
    await expect(
      new NotificationHubsSender(abandoned as never).send({ to: 'h', platform: 'fcm' }, MESSAGE),
    ).rejects.toEqual(new NotificationSendError('push NoTargetFound'));
  });
});
