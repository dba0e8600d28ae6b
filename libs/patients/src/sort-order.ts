import { decodeCursor, encodeCursor, InvalidInputError } from '@hdp/platform';

/** A search's order: one sort key, ascending or descending, then the id in the same direction. */
export interface SortOrder<K extends string> {
  readonly key: K;
  readonly descending: boolean;
}

/** Where a sorted page ends: the sort key's value there (a Date as its milliseconds) and the id. */
export interface SortPosition {
  readonly value: string | number;
  readonly id: string;
}

/** The `sort` of a find in this order: the key, then the id, so every position is unique. */
export function sortSpec(field: string, descending: boolean): Record<string, 1 | -1> {
  const direction = descending ? -1 : 1;
  return { [field]: direction, _id: direction };
}

/**
 * Records strictly after `position` in this order (keyset paging on (key, id)): records inserted before
 * the position while a client pages are never seen, those after it are, and none is seen twice.
 */
export function keysetAfter(
  field: string,
  descending: boolean,
  value: unknown,
  id: string,
): Record<string, unknown> {
  const beyond = descending ? '$lt' : '$gt';
  return { $or: [{ [field]: { [beyond]: value } }, { [field]: value, _id: { [beyond]: id } }] };
}

/** The cursor of a sorted page: the sort it was read in, so another sort's cursor is refused. */
export function encodeSortCursor(key: string, position: SortPosition): string {
  return encodeCursor({ s: key, v: position.value, id: position.id });
}

export function decodeSortCursor(cursor: string, key: string, type: 'string' | 'number'): SortPosition {
  const decoded = decodeCursor(cursor, { s: 'string', v: type, id: 'string' });
  if (decoded.s !== key)
    throw new InvalidInputError('The page cursor is not valid.', [
      { path: 'cursor', message: 'cursor must be a value returned by a previous page of the same sort' },
    ]);
  return { value: decoded.v, id: decoded.id };
}
