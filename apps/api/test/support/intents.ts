import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from 'mongodb';

/**
 * Resolves once a record's audit intents are cleared. FerretDB 1.24 applies updates as unlocked
 * read-modify-writes, so an update racing the background clear of the previous change can be undone by it
 * (docs/datastore.md): a test that updates right after a change waits for this first.
 */
export async function intentsCleared(
  db: Db,
  collection: string,
  id: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const records = db.collection<{ _id: string }>(collection);
  while (!(await records.findOne({ _id: id, auditOutbox: [] } as never))) {
    if (Date.now() > deadline)
      throw new Error(`the audit intents of a ${collection} record were not cleared`);
    await sleep(20);
  }
}
