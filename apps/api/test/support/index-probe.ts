import type { Collection, Document, Sort } from 'mongodb';
import mongoose from 'mongoose';

/**
 * Whether an index whose keys satisfy `leads` serves a find: the one the engine chose (MongoDB), or, on
 * FerretDB 1.24, whose PostgreSQL plans scan whatever is declared, one declared in the schema.
 */
export async function servedByIndex(
  collection: Collection,
  filter: Document,
  sort: Sort,
  leads: (keys: string[]) => boolean,
): Promise<boolean> {
  const plan = JSON.stringify(await collection.find(filter).sort(sort).explain());
  const candidates = plan.includes('ferretdbVersion')
    ? (await collection.indexes()).map((index) => Object.keys(index.key))
    : [...plan.matchAll(/"keyPattern":(\{[^}]*\})/g)].map((match) =>
        Object.keys(JSON.parse(match[1]) as object),
      );
  return candidates.some(leads);
}

/** The filters of the finds the app runs on `collection` during each test of the enclosing block (that `accept`s). */
export function recordFinds(
  collection: string,
  accept: (filter: Record<string, unknown>) => boolean = () => true,
): Record<string, unknown>[] {
  const finds: Record<string, unknown>[] = [];
  beforeAll(() =>
    mongoose.set('debug', (name: string, method: string, filter: Record<string, unknown>) => {
      if (name === collection && method === 'find' && accept(filter)) finds.push(filter);
    }),
  );
  beforeEach(() => (finds.length = 0));
  afterAll(() => mongoose.set('debug', false));
  return finds;
}
