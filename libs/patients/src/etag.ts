import { IfMatchRequiredError, VersionMismatchError } from './patients.errors';

export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The version an If-Match header allows changing: `"3"`, `W/"3"`, a list, or `*` (any current version).
 * Missing: 428. Present but not naming `current`: 412.
 */
export function requireIfMatch(header: string | undefined, current: number): void {
  if (header === undefined || header.trim() === '') throw new IfMatchRequiredError();
  const tags = header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (!tags.includes('*') && !tags.includes(etagOf(current))) throw new VersionMismatchError();
}
