/** How a FHIR template groups measurements into one Observation: minutes per period, or per correlation id. */
export enum PeriodInterval {
  Single = 0,
  Hourly = 60,
  Daily = 1440,
  Correlation = -1,
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The UTC period a reading falls in: [start, end] with end the last millisecond of the period. */
export function periodBoundary(interval: PeriodInterval, time: Date): { start: Date; end: Date } {
  const length = periodLength(interval);
  if (length === 0) return { start: time, end: time };
  const start = periodStart(interval, time.getTime());
  return { start: new Date(start), end: new Date(start + length - 1) };
}

/** The start (epoch ms) of the UTC period a reading at `time` (epoch ms) falls in. */
export function periodStart(interval: PeriodInterval, time: number): number {
  const length = periodLength(interval);
  return length === 0 ? time : time - (((time % length) + length) % length);
}

function periodLength(interval: PeriodInterval): number {
  if (interval === PeriodInterval.Hourly) return HOUR_MS;
  return interval === PeriodInterval.Daily ? DAY_MS : 0;
}
