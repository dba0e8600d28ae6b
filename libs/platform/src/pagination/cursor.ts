import { InvalidInputError } from '../errors/domain-error';

type CursorShape = Record<string, 'string' | 'number'>;
type CursorOf<T extends CursorShape> = { [K in keyof T]: T[K] extends 'string' ? string : number };

/**
 * Opaque page cursors: the position after the last item of a page, as base64url JSON. Callers treat them
 * as tokens; a tampered or foreign cursor is a 400, never a query fragment.
 */
export function encodeCursor(position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor whose values all have the expected primitive types. */
export function decodeCursor<T extends CursorShape>(cursor: string, shape: T): CursorOf<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidCursor();
  const record = parsed as Record<string, unknown>;
  const keys = Object.keys(shape);
  if (Object.keys(record).length !== keys.length) throw invalidCursor();
  if (keys.some((key) => typeof record[key] !== shape[key])) throw invalidCursor();
  return record as CursorOf<T>;
}

function invalidCursor(): InvalidInputError {
  return new InvalidInputError('The page cursor is not valid.', [
    { path: 'cursor', message: 'cursor must be a value returned by a previous page' },
  ]);
}
