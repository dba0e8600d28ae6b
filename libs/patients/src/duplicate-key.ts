/**
 * Whether a write failed on a unique index: code 11000, or, from FerretDB 1.24's findAndModify (an update),
 * PostgreSQL's unique violation (SQLSTATE 23505) passed on as an InternalError (code 1).
 */
export function isDuplicateKey(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 11000 || (code === 1 && typeof message === 'string' && message.includes('SQLSTATE 23505'));
}
