import { dateRange, DateRange, RangeCondition } from '@hdp/patients';
import { invalidSearch } from './searchset';

const PREFIXES = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'sa', 'eb'] as const;
type Prefix = (typeof PREFIXES)[number];
const PARTIAL_DATE = /^\d{4}(?:-\d{2}(?:-\d{2})?)?$/;

/**
 * A date parameter as its prefix (`eq` when none) and the range its value stands for (a partial date is its
 * whole year, month or day). `datesOnly`: a date without a time, as a birth date is compared.
 */
export function dateParam(
  value: string,
  param: string,
  { datesOnly = false } = {},
): { prefix: Prefix; range: DateRange } {
  const [, given = 'eq', date = ''] = /^([a-z]{2})?(.*)$/.exec(value) ?? [];
  const prefix = PREFIXES.find((known) => known === given);
  const range = datesOnly && !PARTIAL_DATE.test(date) ? undefined : dateRange(date);
  if (!prefix || !range) {
    const what = datesOnly ? 'a date (YYYY, YYYY-MM or YYYY-MM-DD)' : 'a date, dateTime or instant';
    throw invalidSearch(param, `must be ${what}, with an optional ${PREFIXES.join(', ')} prefix`);
  }
  return { prefix, range };
}

/**
 * The condition a prefix puts on a value that is a point in time (a day compares as its start, so its
 * range lies within a day-aligned parameter's), with the parameter's range [start, end): eq within it, ne
 * outside it, lt/eb before it, le before its end, gt/sa at or after its end, ge at or after its start.
 */
export function pointCondition<T>(prefix: Prefix, start: T, end: T): RangeCondition<T> {
  switch (prefix) {
    case 'eq':
      return { $gte: start, $lt: end };
    case 'ne':
      return { outside: { start, end } };
    case 'lt':
    case 'eb':
      return { $lt: start };
    case 'le':
      return { $lt: end };
    case 'gt':
    case 'sa':
      return { $gte: end };
    case 'ge':
      return { $gte: start };
  }
}
