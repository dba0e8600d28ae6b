import type { RangeCondition } from '@hdp/patients';
import { invalidSearch } from './searchset';

const PREFIXES = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'sa', 'eb', 'ap'] as const;
const NUMBER = /^([a-z]{2})?(-?\d{1,15}(?:\.(\d{1,10}))?(?:[eE][+-]?\d{1,3})?)$/;

/** `ap` matches values within this share of the number asked, either way. */
const APPROXIMATION = 0.1;

/**
 * A prefixed number as a condition on a stored value. `eq`, `ne` and `ap` honour the number's precision,
 * as the specification asks: `100` stands for [99.5, 100.5), `100.0` for [99.95, 100.05); `ap` takes the
 * wider of that and 10% of the number either way. `sa` and `eb` compare as `gt` and `lt` (a value is a point).
 */
export function quantityParam(text: string, param: string): RangeCondition<number> {
  const [, given = 'eq', number = '', decimals = ''] = NUMBER.exec(text) ?? [];
  const prefix = PREFIXES.find((known) => known === given);
  const value = Number(number);
  if (!prefix || number === '' || !Number.isFinite(value))
    throw invalidSearch(param, `must be a number, with an optional ${PREFIXES.join(', ')} prefix`);
  const half = 0.5 * 10 ** -decimals.length;
  switch (prefix) {
    case 'eq':
      return { $gte: value - half, $lt: value + half };
    case 'ne':
      return { outside: { start: value - half, end: value + half } };
    case 'ap': {
      const margin = Math.max(half, Math.abs(value) * APPROXIMATION);
      return { $gte: value - margin, $lte: value + margin };
    }
    case 'lt':
    case 'eb':
      return { $lt: value };
    case 'le':
      return { $lte: value };
    case 'gt':
    case 'sa':
      return { $gt: value };
    case 'ge':
      return { $gte: value };
  }
}
