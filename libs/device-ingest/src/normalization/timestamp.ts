import { UtcInstant } from '../common/utc-instant';

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Reads a timestamp token as Json.NET would have parsed it: an ISO 8601 string (no offset means UTC here,
 * where the original used the host's zone) or a Date. Numbers are not timestamps. Precision is .NET's,
 * 100 ns (seven fraction digits; further digits are cut off).
 */
export function parseTimestamp(token: unknown): UtcInstant | undefined {
  if (token instanceof Date) return Number.isNaN(token.getTime()) ? undefined : UtcInstant.fromDate(token);
  if (typeof token !== 'string') return undefined;
  if (isCanonicalUtc(token)) {
    const time = canonicalUtc(token);
    return time === undefined ? undefined : UtcInstant.of(time);
  }
  return parseIso8601(token);
}

function parseIso8601(text: string): UtcInstant | undefined {
  const parts = ISO_8601.exec(text.trim());
  if (parts === null) return undefined;
  const fraction = (parts[7] ?? '').slice(0, 7).padEnd(7, '0');
  const millis = Number(fraction.slice(0, 3));
  const time = utc(
    Number(parts[1]),
    Number(parts[2]),
    Number(parts[3]),
    Number(parts[4] ?? 0),
    Number(parts[5] ?? 0),
    Number(parts[6] ?? 0),
    millis,
  );
  if (time === undefined) return undefined;
  return UtcInstant.of(time - offsetMinutes(parts[8]) * 60_000, Number(fraction.slice(3)));
}

// `yyyy-MM-ddTHH:mm:ss.fffZ`, what most devices and every JavaScript toISOString() send: read digit by digit.
const CANONICAL_SHAPE = '0000-00-00T00:00:00.000Z';

function isCanonicalUtc(text: string): boolean {
  if (text.length !== CANONICAL_SHAPE.length) return false;
  for (let i = 0; i < CANONICAL_SHAPE.length; i++) {
    const expected = CANONICAL_SHAPE.charCodeAt(i);
    const code = text.charCodeAt(i);
    if (expected === ZERO ? code < ZERO || code > NINE : code !== expected) return false;
  }
  return true;
}

const ZERO = 48;
const NINE = 57;

function canonicalUtc(text: string): number | undefined {
  const [year, month, day] = [digitsAt(text, 0, 4), digitsAt(text, 5, 2), digitsAt(text, 8, 2)];
  const [hour, minute, second] = [digitsAt(text, 11, 2), digitsAt(text, 14, 2), digitsAt(text, 17, 2)];
  return utc(year, month, day, hour, minute, second, digitsAt(text, 20, 3));
}

function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) value = value * 10 + text.charCodeAt(i) - ZERO;
  return value;
}

/** Epoch milliseconds of a UTC date and time, or undefined when a field is out of range. */
function utc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
}
