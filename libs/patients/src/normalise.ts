/** Lower-case, accent-stripped form of a searched string: what case/accent-insensitive search compares. */
export function normaliseForSearch(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .trim();
}

/** A regular expression matching strings that start with `prefix`, every character taken literally. */
export function startsWith(prefix: string): RegExp {
  return new RegExp(`^${literal(prefix)}`);
}

/** A regular expression matching strings that hold `term` anywhere, every character taken literally. */
export function contains(term: string): RegExp {
  return new RegExp(literal(term));
}

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Longest prefix stored for starts-with search; longer search terms also match the full normalised name. */
export const MAX_SEARCH_PREFIX = 24;

/**
 * Every prefix (up to MAX_SEARCH_PREFIX characters) of the normalised values: starts-with search becomes an
 * equality match on an indexed array, which every engine serves selectively from an index (an anchored
 * regular expression is a range scan at best, and case-sensitive).
 */
export function searchPrefixes(normalised: readonly string[]): string[] {
  const prefixes = normalised.flatMap((value) =>
    Array.from({ length: Math.min(value.length, MAX_SEARCH_PREFIX) }, (_, end) => value.slice(0, end + 1)),
  );
  return [...new Set(prefixes)];
}
