import { DateTime } from 'luxon';
import { AppProcess, freePort } from './support/app-process';
import {
  patientBody,
  replicaEnv,
  startAuditedApp,
  AuditedTestApp,
  testSigningKeys,
} from './support/patients-fixtures';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

const ADDRESS = 'patient.crash@example.org';
const LEASE_MS = 1500;
const SCHEDULER = {
  REMINDERS_ENABLED: 'true',
  REMINDERS_POLL_MS: '100',
  REMINDERS_LEASE_MS: String(LEASE_MS),
  REMINDERS_RETRY_BASE_MS: '200',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Reminder delivery when a scheduler process dies mid-send', () => {
  // The first attempt's message is taken and never answered: its scheduler is mid-send when it is killed.
  const sink = new SmtpSink(undefined, (to, attempt) => to === ADDRESS && attempt === 1);
  const signingKeys = testSigningKeys();
  let api: AuditedTestApp;
  let doomed: AppProcess;
  let survivor: TestApp | undefined;

  beforeAll(async () => {
    await sink.start();
    // The API the test talks to runs no scheduler: the doomed process claims the reminder alone.
    api = await startAuditedApp({ AUDIT_SIGNING_KEY: signingKeys });
    const port = await freePort();
    doomed = new AppProcess({
      ...replicaEnv(api, signingKeys, port),
      ...SCHEDULER,
      REMINDERS_SMTP_URL: sink.url,
    });
    await doomed.start(`http://127.0.0.1:${port}`);
  }, 90_000);

  afterAll(async () => {
    await doomed.kill();
    await survivor?.app.close();
    await api.close();
    await sink.stop();
  });

  it('keeps the attempt while its process lives, then another process sends it once after the lease', async () => {
    const patientId: string = (await api.ctx.as().post('/api/v1/patients').send(patientBody()).expect(201))
      .body.id;
    await api.ctx
      .as()
      .put(`/api/v1/patients/${patientId}/notification-preferences`)
      .send({
        timeZone: 'Europe/London',
        channels: { email: { address: ADDRESS } },
        preferredChannel: 'email',
      })
      .expect(201);
    const at = DateTime.now().setZone('Europe/London').plus({ minutes: 30 }).toFormat("yyyy-LL-dd'T'HH:mm");
    const reminderId: string = (
      await api.ctx
        .as()
        .post(`/api/v1/patients/${patientId}/reminders`)
        .send({ kind: 'appointment', appointment: { at, remindMinutesBefore: 60 } })
        .expect(201)
    ).body.id;
    const deliveries = async () =>
      (await api.ctx.as().get(`/api/v1/patients/${patientId}/reminders/${reminderId}/deliveries`).expect(200))
        .body.items as { state: string; attempts: number }[];
    for (let waited = 0; !sink.held.includes(ADDRESS); waited += 100) {
      if (waited > 20_000) throw new Error('The doomed scheduler never started sending');
      await sleep(100);
    }

    survivor = await startTestApp({
      ...SCHEDULER,
      AUDIT_SIGNING_KEY: signingKeys,
      MONGODB_URI: api.ctx.database.uri,
      REMINDERS_SMTP_URL: sink.url,
    });
    // Two leases long: the living sender renews its lease, so the other process must not take it over.
    await sleep(2 * LEASE_MS);
    expect(await deliveries()).toEqual([expect.objectContaining({ state: 'sending', attempts: 1 })]);
    expect(sink.to(ADDRESS)).toHaveLength(0);

    await doomed.kill();
    for (let waited = 0; (await deliveries())[0].state !== 'sent'; waited += 200) {
      if (waited > 20_000) throw new Error('The lost attempt was not retried');
      await sleep(200);
    }
    await sleep(500);
    expect(await deliveries()).toEqual([expect.objectContaining({ state: 'sent', attempts: 2 })]);
    expect(sink.to(ADDRESS)).toHaveLength(1);
    const entries = await api.db
      .collection('audit_entries')
      .find({ patientId, resourceType: 'Communication' })
      .toArray();
    expect(entries.map((entry) => entry.outcome as number)).toEqual([201]);
  });
});
