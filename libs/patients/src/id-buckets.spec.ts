import { randomUUID } from 'node:crypto';
import { FIRST_LEVEL, IdBucket, pageKeys, readByBuckets } from './id-buckets';

/** An in-memory store answering bucket queries the way the repository does, counting queries and rows read. */
function store(ids: string[]) {
  const stats = { queries: 0, rowsSorted: 0 };
  const fetch = (bucket: IdBucket, limit: number) => {
    stats.queries++;
    const inBucket = ids.filter((id) => bucket.key === undefined || pageKeys(id).includes(bucket.key));
    stats.rowsSorted += inBucket.length;
    const page = inBucket
      .filter((id) => id > bucket.after && (bucket.before === undefined || id < bucket.before))
      .sort();
    return Promise.resolve(page.slice(0, limit));
  };
  return { fetch, stats };
}

async function readAll(ids: string[], pageSize: number, between?: () => void): Promise<string[]> {
  const { fetch } = store(ids);
  const seen: string[] = [];
  let position = { id: '', level: FIRST_LEVEL };
  for (;;) {
    const page = await readByBuckets(fetch, position.id, pageSize + 1, position.level);
    seen.push(...page.items.slice(0, pageSize));
    if (page.items.length <= pageSize) return seen;
    position = { id: seen.at(-1)!, level: page.level };
    between?.();
  }
}

describe(readByBuckets.name, () => {
  it('pages through sparse and dense matches in id order, each exactly once', async () => {
    for (const count of [0, 1, 7, 60, 3000]) {
      const ids = Array.from({ length: count }, () => randomUUID());
      expect(await readAll(ids, 10)).toEqual([...ids].sort());
    }
  });

  it('serves a page of a large match set by sorting one bucket, not every match', async () => {
    const ids = Array.from({ length: 20000 }, () => randomUUID());
    const { fetch, stats } = store(ids);
    const page = await readByBuckets(fetch, '', 11, FIRST_LEVEL);
    expect(page.items).toEqual([...ids].sort().slice(0, 11));
    expect(stats.queries).toBeLessThanOrEqual(2);
    expect(stats.rowsSorted).toBeLessThan(20000 / 16);
  });

  it('keeps its place while records are added between pages: no record skipped or repeated', async () => {
    const ids = Array.from({ length: 500 }, () => randomUUID());
    const original = [...ids];
    const seen = await readAll(ids, 25, () => ids.push(randomUUID(), randomUUID()));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining(original));
  });

  it('ends after the last bucket of the id space', async () => {
    const ids = ['fff00000-0000-4000-8000-000000000000', 'ffff0000-0000-4000-8000-000000000000'];
    const { fetch, stats } = store(ids);
    expect((await readByBuckets(fetch, ids[0], 5, 3)).items).toEqual([ids[1]]);
    expect(stats.queries).toBe(1);
  });
});
