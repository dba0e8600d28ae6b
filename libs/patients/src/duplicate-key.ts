/**
 * Whether a write failed on a unique index: code 11000, or, from FerretDB 2.5's findAndModify (an update),
 * DocumentDB's unique-index violation (an exclusion constraint in PostgreSQL) passed on as an InternalError.
 */
export function isDuplicateKey(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    code === 11000 ||
    (code === 1 && typeof message === 'string' && message.includes('violates exclusion constraint'))
  );
}
