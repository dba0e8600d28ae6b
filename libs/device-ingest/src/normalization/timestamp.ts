const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Reads a timestamp token as Json.NET would have parsed it: an ISO 8601 string (no offset means UTC here,
 * where the original used the host's zone) or a Date. Numbers are not timestamps. Precision is milliseconds.
 */
export function parseTimestamp(token: unknown): Date | undefined {
  if (token instanceof Date) return Number.isNaN(token.getTime()) ? undefined : token;
  if (typeof token !== 'string') return undefined;
  const parts = ISO_8601.exec(token.trim());
  if (!parts) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone = 'Z'] = parts;
  const millis = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const utc = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second, millis);
  const check = new Date(utc);
  if (
    check.getUTCDate() !== +day ||
    check.getUTCMonth() !== +month - 1 ||
    +hour > 23 ||
    +minute > 59 ||
    +second > 59
  ) {
    return undefined;
  }
  return new Date(utc - offsetMinutes(zone) * 60_000);
}

function offsetMinutes(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
}
