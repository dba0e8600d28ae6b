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
  if (interval === PeriodInterval.Hourly || interval === PeriodInterval.Daily) {
    const length = interval === PeriodInterval.Hourly ? HOUR_MS : DAY_MS;
    const start = time.getTime() - (((time.getTime() % length) + length) % length);
    return { start: new Date(start), end: new Date(start + length - 1) };
  }
  return { start: time, end: time };
}
