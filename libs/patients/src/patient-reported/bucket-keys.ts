/** The summary buckets: a UTC day, or an ISO 8601 week (Monday to Sunday, UTC). */
export type BucketKind = 'day' | 'week';
export const BUCKET_KINDS: readonly BucketKind[] = ['day', 'week'];

const DAY_MS = 86_400_000;

/** `2026-03-09`: the UTC day of an instant. */
export function dayKeyOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** `2026-W11`: the ISO week of an instant (the week belongs to the year of its Thursday). */
export function weekKeyOf(at: Date): string {
  const thursday = new Date(mondayOf(at).getTime() + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The bucket keys stored with each record, so the store can group by them (no date operators needed). */
export function bucketKeysOf(at: Date): { dayKey: string; weekKey: string } {
  return { dayKey: dayKeyOf(at), weekKey: weekKeyOf(at) };
}

/** The instants a bucket covers, start inclusive, end exclusive. */
export function bucketBounds(kind: BucketKind, key: string): { start: Date; end: Date } {
  if (kind === 'day') {
    const start = new Date(`${key}T00:00:00.000Z`);
    return { start, end: new Date(start.getTime() + DAY_MS) };
  }
  const [year, week] = key.split('-W').map(Number);
  const firstMonday = mondayOf(new Date(Date.UTC(year, 0, 4)));
  const start = new Date(firstMonday.getTime() + (week - 1) * 7 * DAY_MS);
  return { start, end: new Date(start.getTime() + 7 * DAY_MS) };
}

function mondayOf(at: Date): Date {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const weekday = (new Date(day).getUTCDay() + 6) % 7;
  return new Date(day - weekday * DAY_MS);
}
