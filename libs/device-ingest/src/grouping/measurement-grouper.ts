import { NormalizationError, NormalizationFailure } from '../errors/normalization.error';
import { Measurement } from '../normalization/measurement';
import { MeasurementGroup } from './measurement-group';
import { periodBoundary, PeriodInterval, periodStart } from './period-interval';

/** A source of the current time in milliseconds, injectable so tests need no waiting. */
export interface Clock {
  now(): number;
}

/** Limits of the grouper's buffer. */
export interface MeasurementGrouperOptions {
  /** The period interval of a measurement type (from its FHIR template). */
  readonly periodOf: (type: string) => PeriodInterval;
  /** A group is flushed once it holds this many measurements. */
  readonly maxGroupSize: number;
  /** A group is flushed this long after its first measurement arrived. */
  readonly maxAgeMs: number;
  /** Cap on buffered measurements: past it the oldest groups are flushed early and `saturated` is set. */
  readonly maxBuffered: number;
  readonly clock?: Clock;
}

interface OpenGroup {
  readonly group: MeasurementGroup & { start: Date; end: Date; measurements: Measurement[] };
  readonly openedAt: number;
}

const systemClock: Clock = { now: () => Date.now() };

/**
 * Groups measurements by device, patient, encounter, type and period (hour, day, single timestamp or
 * correlation id) and hands groups back when full, when old, or on demand. Memory is bounded by
 * `maxBuffered`; `saturated` tells the caller to pause intake until it has drained flushed groups.
 */
export class MeasurementGrouper {
  private readonly open = new Map<string, OpenGroup>();
  private readonly clock: Clock;
  private count = 0;

  constructor(private readonly options: MeasurementGrouperOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Measurements held now. */
  get buffered(): number {
    return this.count;
  }

  /** True when the buffer is at its cap: the caller should stop reading until it has written what it got. */
  get saturated(): boolean {
    return this.count >= this.options.maxBuffered;
  }

  /** Adds a measurement; returns the groups this filled (or pushed out to respect the cap). */
  add(measurement: Measurement): MeasurementGroup[] {
    const interval = this.options.periodOf(measurement.type);
    const key = groupKey(measurement, interval);
    let entry = this.open.get(key);
    if (entry === undefined) {
      entry = { group: newGroup(measurement, interval), openedAt: this.clock.now() };
      this.open.set(key, entry);
    } else if (interval === PeriodInterval.Correlation) {
      widen(entry.group, measurement.occurrenceTimeUtc);
    }
    entry.group.measurements.push(measurement);
    this.count++;
    const flushed: MeasurementGroup[] = [];
    if (entry.group.measurements.length >= this.options.maxGroupSize) flushed.push(this.take(key, entry));
    // Checked before iterating: a Map iterator walks past every deleted slot, which add() must not pay for.
    if (this.count > this.options.maxBuffered) {
      for (const [oldestKey, oldest] of this.open) {
        flushed.push(this.take(oldestKey, oldest));
        if (this.count <= this.options.maxBuffered) break;
      }
    }
    return flushed;
  }

  /** The groups whose age has reached `maxAgeMs`; call it on a timer. */
  flushDue(): MeasurementGroup[] {
    const oldestAllowed = this.clock.now() - this.options.maxAgeMs;
    const flushed: MeasurementGroup[] = [];
    // Map order is opening order, so the first group still young ends the scan.
    for (const [key, entry] of this.open) {
      if (entry.openedAt > oldestAllowed) break;
      flushed.push(this.take(key, entry));
    }
    return flushed;
  }

  /** Every open group, e.g. at shutdown. */
  flushAll(): MeasurementGroup[] {
    return [...this.open].map(([key, entry]) => this.take(key, entry));
  }

  private take(key: string, entry: OpenGroup): MeasurementGroup {
    this.open.delete(key);
    this.count -= entry.group.measurements.length;
    return entry.group;
  }
}

function groupKey(m: Measurement, interval: PeriodInterval): string {
  let period: string;
  if (interval === PeriodInterval.Correlation) {
    if (m.correlationId === undefined) {
      throw new NormalizationError(
        NormalizationFailure.MissingCorrelationId,
        m.type,
        'correlationIdExpression',
      );
    }
    period = `c:${m.correlationId}`;
  } else {
    period = `t:${periodStart(interval, m.occurrenceTimeUtc.getTime())}`;
  }
  return `${m.deviceId}\u0000${m.patientId ?? ''}\u0000${m.encounterId ?? ''}\u0000${m.type}\u0000${period}`;
}

function newGroup(m: Measurement, interval: PeriodInterval): OpenGroup['group'] {
  const { start, end } = periodBoundary(interval, m.occurrenceTimeUtc);
  return {
    type: m.type,
    deviceId: m.deviceId,
    ...(m.patientId === undefined ? {} : { patientId: m.patientId }),
    ...(m.encounterId === undefined ? {} : { encounterId: m.encounterId }),
    ...(interval === PeriodInterval.Correlation ? { correlationId: m.correlationId } : {}),
    start,
    end,
    measurements: [],
  };
}

function widen(group: OpenGroup['group'], time: Date): void {
  if (time < group.start) group.start = time;
  if (time > group.end) group.end = time;
}
