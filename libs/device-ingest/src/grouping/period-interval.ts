import { UtcInstant } from '../common/utc-instant';

/** How a FHIR template groups measurements into one Observation: minutes per period, or per correlation id. */
export enum PeriodInterval {
  Single = 0,
  Hourly = 60,
  Daily = 1440,
  Correlation = -1,
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const LAST_TICK = 9_999;

/**
 * The UTC period a reading falls in: [start, end] with end the period's last 100 ns tick, as MedTech's
 * `start.AddHours(1).AddTicks(-1)` (written `…:59:59.9999999Z`).
 */
export function periodBoundary(
  interval: PeriodInterval,
  time: UtcInstant,
): { start: UtcInstant; end: UtcInstant } {
  const length = periodLength(interval);
  if (length === 0) return { start: time, end: time };
  const start = periodStart(interval, time.getTime());
  return { start: UtcInstant.of(start), end: UtcInstant.of(start + length - 1, LAST_TICK) };
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
