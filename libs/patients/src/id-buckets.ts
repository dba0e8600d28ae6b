/**
 * Keyset pages that engines without sort push-down (FerretDB 1.x: it serves equality filters from the store
 * but fetches every match to sort it) still serve in O(page). A record's id is random, so its first hex
 * digits spread records evenly over 16, 256 and 4096 buckets; each record stores those prefixes
 * (`pageKeys`), and a page is read bucket by bucket in id order: an equality match on the bucket key plus
 * the id range, so the engine sorts one bucket, never all matches.
 */

/** Finest bucket level stored: ids' first 1..MAX_LEVEL hex digits. Level 0 is the whole id space. */
export const MAX_LEVEL = 3;

/** Where a first page starts: 1/256 of the matches per bucket, enough for a page once matches are many. */
export const FIRST_LEVEL = 2;

/** The bucket keys stored with a record: the first 1..MAX_LEVEL characters of its id. */
export function pageKeys(id: string): string[] {
  return Array.from({ length: MAX_LEVEL }, (_, end) => id.slice(0, end + 1));
}

/** One bucket query: ids after `after` (and before `before`), with bucket key `key` when not level 0. */
export interface IdBucket {
  readonly key?: string;
  readonly after: string;
  readonly before?: string;
}

/** A page read in id order; `level` is where it filled, where the next page should start. */
export interface BucketPage<T> {
  readonly items: T[];
  readonly level: number;
}

/**
 * Reads up to `want` records after `after` in id order, starting in buckets of `level`. A bucket that does
 * not fill the page means matches are sparse: the walk moves to the next bucket one level coarser, so a
 * page takes at most level + 1 queries and the last one (level 0) covers everything that is left.
 */
export async function readByBuckets<T>(
  fetch: (bucket: IdBucket, limit: number) => Promise<T[]>,
  after: string,
  want: number,
  level: number,
): Promise<BucketPage<T>> {
  const items: T[] = [];
  let position = after;
  for (;;) {
    const bucket = bucketAfter(position, level);
    items.push(...(await fetch(bucket, want - items.length)));
    if (items.length >= want || bucket.before === undefined) return { items, level };
    position = bucket.before;
    level = Math.max(0, level - 1);
  }
}

/** The bucket of `level` holding the ids just after `position` (a hex id or bucket boundary, or ''). */
function bucketAfter(position: string, level: number): IdBucket {
  if (level === 0) return { after: position };
  const key = position.padEnd(level, '0').slice(0, level);
  return { key, after: position, before: successor(key) };
}

/** The next key of the same length in hex order; undefined after the last one ('f', 'ff', ...). */
function successor(key: string): string | undefined {
  const next = (parseInt(key, 16) + 1).toString(16).padStart(key.length, '0');
  return next.length > key.length ? undefined : next;
}
