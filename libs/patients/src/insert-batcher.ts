import type { Collection } from 'mongoose';

const MAX_BATCH = 256;

interface Queued {
  readonly document: object;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface WriteError {
  readonly index: number;
  readonly code?: unknown;
}

/**
 * Group commit for independent inserts into one collection: inserts queued while a batch is in flight go
 * together in the next unordered insertMany, so concurrent requests share one round trip and one engine
 * transaction. Each insert still stands alone: its promise resolves once it is stored, or rejects with its
 * own write error (a duplicate key with code 11000) while the rest of the batch goes in.
 */
export class InsertBatcher {
  private queue: Queued[] = [];
  private draining = false;

  constructor(private readonly collection: Collection) {}

  insert(document: object): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ document, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.queue.length > 0) await this.write(this.queue.splice(0, MAX_BATCH));
    this.draining = false;
  }

  private async write(batch: Queued[]): Promise<void> {
    try {
      await this.collection.insertMany(
        batch.map(({ document }) => document),
        { ordered: false },
      );
      batch.forEach(({ resolve }) => resolve());
    } catch (error) {
      const failed = new Map(writeErrorsOf(error).map((writeError) => [writeError.index, writeError]));
      if (failed.size === 0) return batch.forEach(({ reject }) => reject(error));
      batch.forEach(({ resolve, reject }, index) => {
        const own = failed.get(index);
        // A fresh error carrying only the code: the engine's message may quote the duplicate key.
        if (own) reject(Object.assign(new Error('The insert was refused'), { code: own.code }));
        else resolve();
      });
    }
  }
}

function writeErrorsOf(error: unknown): WriteError[] {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  if (Array.isArray(writeErrors)) return writeErrors as WriteError[];
  return writeErrors ? [writeErrors as WriteError] : [];
}
