/**
 * npm run bench:reminders — the reminder scheduler's numbers (issue 9). Needs the engine on its own port:
 * `bash scripts/ferretdb.sh start 27337` (BENCH_MONGODB_URL overrides).
 * Seeds BENCH_REMINDERS (default 100,000) reminders that are all due now, each for a patient of its own
 * with an e-mail address of its own, then starts two API processes with the scheduler on (same database)
 * and counts what a local SMTP server receives: every reminder must arrive exactly once (exit 1 if one is
 * missing or duplicated, counted 15 s after the last first delivery). Reports the time to drain and the split between the two processes.
 */
import { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { SMTPServer } from 'smtp-server';
import { reminderLaneOf } from '@hdp/patients';
import { Role } from '@hdp/platform';
import { benchCaller, startApi } from './api-process';

const ENGINE = process.env.BENCH_MONGODB_URL ?? 'mongodb://127.0.0.1:27337';
const REMINDERS = Number(process.env.BENCH_REMINDERS ?? 100_000);
const SMTP_PORT = 2590;
const API_PORTS = [2591, 2592];
const SEED_CHUNK = 5_000;
const SETTLE_MS = 15_000;

async function main(): Promise<void> {
  const database = `bench_reminders_${randomBytes(4).toString('hex')}`;
  const client = await MongoClient.connect(ENGINE);
  const db = client.db(database);
  const received = new Map<string, number>();
  const sink = await startSink(received);
  const processes: ChildProcess[] = [];
  try {
    const seeded = Date.now();
    await seed(db);
    console.log(`seeded ${REMINDERS} due reminders in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);

    const caller = await benchCaller({ id: 'bench', clientId: 'bench', roles: [Role.Admin], scopes: [] });
    const env = {
      MONGODB_URI: `${ENGINE}/${database}`,
      AUDIT_SIGNING_KEY: `bench:${randomBytes(32).toString('base64')}`,
      REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REMINDERS_ENABLED: 'true',
      REMINDERS_POLL_MS: process.env.REMINDERS_POLL_MS ?? '200',
      REMINDERS_BATCH_SIZE: process.env.REMINDERS_BATCH_SIZE ?? '1000',
      REMINDERS_SEND_CONCURRENCY: process.env.REMINDERS_SEND_CONCURRENCY ?? '32',
      REMINDERS_SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
    };
    const started = Date.now();
    processes.push(...(await Promise.all(API_PORTS.map((port) => startApi(port, caller, env)))));
    const { first, last } = await waitForDrain(received, started);
    // A late duplicate would arrive after the last first delivery: give the schedulers time to send one.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const seconds = (last - started) / 1000;
    const sending = (last - first) / 1000;

    const duplicates = [...received.values()].filter((count) => count > 1).length;
    const missing = REMINDERS - received.size;
    console.log(
      JSON.stringify(
        {
          reminders: REMINDERS,
          processes: API_PORTS.length,
          mailsReceived: [...received.values()].reduce((sum, count) => sum + count, 0),
          distinctRecipients: received.size,
          duplicates,
          missing,
          drainSeconds: Number(seconds.toFixed(1)),
          remindersPerSecond: Math.round(REMINDERS / seconds),
          firstToLastMailSeconds: Number(sending.toFixed(1)),
          sendsPerSecond: Math.round(REMINDERS / sending),
          batchSize: Number(env.REMINDERS_BATCH_SIZE),
          sendConcurrency: Number(env.REMINDERS_SEND_CONCURRENCY),
        },
        null,
        2,
      ),
    );
    for (const child of processes.splice(0)) child.kill();
    // The store's own record, counted after the verdict above: on FerretDB these counts scan whole tables.
    const sent = await db.collection('reminder_deliveries').countDocuments({ state: 'sent' });
    const ledgered = await db.collection('audit_entries').countDocuments({ resourceType: 'Communication' });
    console.log(JSON.stringify({ deliveriesRecordedSent: sent, ledgerEntries: ledgered }));
    if (duplicates > 0 || missing > 0) process.exitCode = 1;
  } finally {
    for (const child of processes) child.kill();
    await new Promise<void>((resolve) => sink.close(() => resolve()));
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  }
}

/** Patients' preferences and their due reminders, written straight to the store as the API stores them. */
async function seed(db: ReturnType<MongoClient['db']>): Promise<void> {
  const now = new Date();
  const due = new Date(now.getTime() - 60_000);
  const at = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 16);
  for (let start = 0; start < REMINDERS; start += SEED_CHUNK) {
    const preferences = [];
    const reminders = [];
    for (let i = start; i < Math.min(start + SEED_CHUNK, REMINDERS); i++) {
      const patientId = randomUUID();
      const id = randomUUID();
      preferences.push({
        _id: patientId,
        timeZone: 'UTC',
        channels: { email: { address: `patient${i}@bench.localhost` } },
        preferredChannel: 'email',
        includeMedicationName: false,
        lane: reminderLaneOf(patientId),
        version: 1,
        updatedAt: now,
        auditOutbox: [],
      });
      reminders.push({
        _id: id,
        patientId,
        kind: 'appointment',
        appointment: { at, remindMinutesBefore: 1500 },
        channel: 'email',
        active: true,
        deleted: false,
        lane: reminderLaneOf(patientId),
        nextOccurrence: due,
        nextDueAt: due,
        version: 1,
        createdAt: now,
        updatedAt: now,
        auditOutbox: [],
      });
    }
    await db.collection('notification_preferences').insertMany(preferences as never[], { ordered: false });
    await db.collection('reminders').insertMany(reminders as never[], { ordered: false });
  }
}

/** The patients' mail server: counts what each recipient receives. */
async function startSink(received: Map<string, number>): Promise<SMTPServer> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 64 * 1024,
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        for (const { address } of session.envelope.rcptTo)
          received.set(address, (received.get(address) ?? 0) + 1);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(SMTP_PORT, '127.0.0.1', resolve));
  return server;
}

/**
 * Resolves with the times the first and the last reminder arrived (the processes' start-up is before the
 * first); gives up after a minute without progress.
 */
async function waitForDrain(
  received: Map<string, number>,
  started: number,
): Promise<{ first: number; last: number }> {
  let last = { count: 0, at: Date.now() };
  let first = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    if (received.size !== last.count) {
      last = { count: received.size, at: Date.now() };
      first ||= last.at;
      console.log(`${((last.at - started) / 1000).toFixed(0)} s: ${received.size} received`);
    }
    if (received.size >= REMINDERS || Date.now() - last.at > 60_000) return { first, last: last.at };
  }
}

void main();
