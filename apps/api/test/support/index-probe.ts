import type { Collection, Document, Sort } from 'mongodb';
import mongoose from 'mongoose';
import { atVolume, explainPlan } from './query-plans';

/**
 * Whether the engine serves a find from an index whose keys satisfy `leads`, reading no whole collection, at
 * volume (query-plans.ts, `atVolume`).
 */
export async function servedByIndex(
  collection: Collection,
  filter: Document,
  sort: Sort,
  leads: (keys: string[]) => boolean,
): Promise<boolean> {
  const copy = await atVolume(collection);
  const plan = await explainPlan(copy, copy.find(filter).sort(sort));
  return !plan.collectionScan && plan.indexKeys.some(leads);
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
