import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';

/** Base URL of the test engine, exported by scripts/test.sh. */
export function testEngineUrl(): string {
  const url = process.env.TEST_MONGODB_URL;
  if (!url)
    throw new Error('TEST_MONGODB_URL is not set: run the suites with `npm test`, which starts the engine');
  return url;
}

/** A database of its own for one suite, so suites can run in parallel; drop() when done. */
export class TestDatabase {
  readonly name = `t_${randomBytes(6).toString('hex')}`;
  readonly uri = `${testEngineUrl()}/${this.name}`;

  async drop(): Promise<void> {
    const client = await MongoClient.connect(testEngineUrl());
    try {
      await client.db(this.name).dropDatabase();
    } finally {
      await client.close();
    }
  }
}
