import { decodeCursor, encodeCursor } from '@hdp/platform';

const DEFAULT_LIMIT = 20;

/**
 * One page of records in id order: `find` reads up to `size` records after `afterId`; the cursor of the
 * next page (when there is more) carries the last id.
 */
export async function readIdPage<T extends { _id: string }>(
  page: { readonly limit?: number; readonly cursor?: string },
  find: (afterId: string | undefined, size: number) => Promise<T[]>,
): Promise<{ items: T[]; next: string | undefined }> {
  const limit = page.limit ?? DEFAULT_LIMIT;
  const after = page.cursor ? decodeCursor(page.cursor, { id: 'string' }).id : undefined;
  const found = await find(after, limit + 1);
  const items = found.slice(0, limit);
  const next = found.length > limit ? encodeCursor({ id: items[items.length - 1]._id }) : undefined;
  return { items, next };
}
