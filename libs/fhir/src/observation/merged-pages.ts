import { encodeCursor } from '@hdp/platform';

/** One item of a page sorted newest first by (at, id), as both record stores page their searches. */
export interface PagedItem<T> {
  readonly at: Date;
  readonly id: string;
  readonly value: T;
}

/**
 * The first `limit` of two pages read with the same cursor from two stores that sort alike, and the cursor
 * of the next merged page: both stores continue strictly after the last item taken.
 */
export function mergePages<T>(
  pages: readonly { items: readonly PagedItem<T>[]; next?: string }[],
  limit: number,
): { items: T[]; next?: string } {
  const all = pages
    .flatMap((page) => page.items)
    .sort((a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const taken = all.slice(0, limit);
  const last = taken.at(-1);
  const more = all.length > limit || pages.some((page) => page.next !== undefined);
  return {
    items: taken.map((item) => item.value),
    next: more && last ? encodeCursor({ at: last.at.getTime(), id: last.id }) : undefined,
  };
}
