import { dateRange, DateRange, RangeCondition } from '@hdp/patients';
import { invalidSearch } from './searchset';

const PREFIXES = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'sa', 'eb', 'ap'] as const;
export type DatePrefix = (typeof PREFIXES)[number];
const PARTIAL_DATE = /^\d{4}(?:-\d{2}(?:-\d{2})?)?$/;

/** `ap` widens a value's range on each side by this share of the time between it and now. */
const APPROXIMATION = 0.1;

/**
 * A date parameter as its prefix (`eq` when none) and the range its value stands for (a partial date is its
 * whole year, month or day). `ap` widens the range by 10% of the time between its start and `now` on each
 * side (1990 asked in 2026: about 3.6 years either way). `datesOnly`: a date without a time, as a birth
 * date is compared.
 */
export function dateParam(
  value: string,
  param: string,
  { datesOnly = false, now = new Date() } = {},
): { prefix: DatePrefix; range: DateRange } {
  const [, given = 'eq', date = ''] = /^([a-z]{2})?(.*)$/.exec(value) ?? [];
  const prefix = PREFIXES.find((known) => known === given);
  const range = datesOnly && !PARTIAL_DATE.test(date) ? undefined : dateRange(date);
  if (!prefix || !range) {
    const what = datesOnly ? 'a date (YYYY, YYYY-MM or YYYY-MM-DD)' : 'a date, dateTime or instant';
    throw invalidSearch(param, `must be ${what}, with an optional ${PREFIXES.join(', ')} prefix`);
  }
  if (prefix !== 'ap') return { prefix, range };
  const margin = APPROXIMATION * Math.abs(now.getTime() - range.start.getTime());
  return {
    prefix,
    range: { start: new Date(range.start.getTime() - margin), end: new Date(range.end.getTime() + margin) },
  };
}

/**
 * A date parameter's comma-separated values (any of them matches) as one condition, each value's made by
 * `condition` from its prefix and range.
 */
export function anyDate<C>(
  value: string,
  param: string,
  condition: (prefix: DatePrefix, range: DateRange) => C,
  options: { datesOnly?: boolean } = {},
): C | { anyOf: C[] } {
  const conditions = value.split(',').map((each) => {
    const { prefix, range } = dateParam(each, param, options);
    return condition(prefix, range);
  });
  return conditions.length === 1 ? conditions[0] : { anyOf: conditions };
}

/**
 * The condition a prefix puts on a value that is a point in time (a day compares as its start, so its
 * range lies within a day-aligned parameter's), with the parameter's range [start, end): eq and ap within
 * it (ap's range widened), ne outside it, lt/eb before it, le before its end, gt/sa at or after its end, ge
 * at or after its start.
 */
export function pointCondition<T>(prefix: DatePrefix, start: T, end: T): RangeCondition<T> {
  switch (prefix) {
    case 'eq':
    case 'ap':
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
