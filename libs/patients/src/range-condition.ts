/** Bounds on one value; `outside` for "not within [start, end)"; `anyOf` for alternatives (comma OR). */
export type RangeCondition<T> =
  | Readonly<Partial<Record<'$gt' | '$gte' | '$lt' | '$lte', T>>>
  | { readonly outside: { readonly start: T; readonly end: T } }
  | { readonly anyOf: readonly RangeCondition<T>[] };

/** The filter of `condition` on `field`. */
export function rangeClause<T>(field: string, condition: RangeCondition<T>): Record<string, unknown> {
  if ('anyOf' in condition) return { $or: condition.anyOf.map((each) => rangeClause(field, each)) };
  if (!('outside' in condition)) return { [field]: condition };
  const { start, end } = condition.outside;
  return { $or: [{ [field]: { $lt: start } }, { [field]: { $gte: end } }] };
}
