import { UtcInstant } from '../common/utc-instant';
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
  readonly key: string;
  readonly group: Mutable<MeasurementGroup> & { measurements: Measurement[] };
  readonly openedAt: number;
  closed: boolean;
  // Opening order as a list: the oldest group is found without walking a Map past its deleted slots.
  older?: OpenGroup;
  newer?: OpenGroup;
}

const NOTHING_FLUSHED: readonly MeasurementGroup[] = Object.freeze([]);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const systemClock: Clock = { now: () => Date.now() };

/**
 * Groups measurements by device, patient, encounter, type and period (hour, day, single timestamp or
 * correlation id) and hands groups back when full, when old, or on demand. Memory is bounded by
 * `maxBuffered`; `saturated` tells the caller to pause intake until it has drained flushed groups.
 */
export class MeasurementGrouper {
  private readonly open = new Map<string, OpenGroup>();
  private readonly clock: Clock;
  private oldest?: OpenGroup;
  private newest?: OpenGroup;
  private count = 0;
  // The last reading's group: readings of one message usually share it, and then no key is built.
  private recent?: OpenGroup;
  private recentMeasurement?: Measurement;
  private recentPeriod?: string | number;

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
  add(measurement: Measurement): readonly MeasurementGroup[] {
    const interval = this.options.periodOf(measurement.type);
    const period = periodKey(measurement, interval);
    const entry = this.recentEntry(measurement, period) ?? this.entryFor(measurement, interval, period);
    if (interval === PeriodInterval.Correlation) widen(entry.group, measurement.occurrenceTimeUtc);
    entry.group.measurements.push(measurement);
    this.count++;
    this.recent = entry;
    this.recentMeasurement = measurement;
    this.recentPeriod = period;
    const full = entry.group.measurements.length >= this.options.maxGroupSize;
    if (!full && this.count <= this.options.maxBuffered) return NOTHING_FLUSHED;
    const flushed: MeasurementGroup[] = full ? [this.take(entry)] : [];
    while (this.count > this.options.maxBuffered && this.oldest) flushed.push(this.take(this.oldest));
    return flushed;
  }

  /** The groups whose age has reached `maxAgeMs`; call it on a timer. */
  flushDue(): MeasurementGroup[] {
    const oldestAllowed = this.clock.now() - this.options.maxAgeMs;
    const flushed: MeasurementGroup[] = [];
    // Oldest first, so the first group still young ends the scan.
    while (this.oldest && this.oldest.openedAt <= oldestAllowed) flushed.push(this.take(this.oldest));
    return flushed;
  }

  /** Every open group, e.g. at shutdown. */
  flushAll(): MeasurementGroup[] {
    return [...this.open.values()].map((entry) => this.take(entry));
  }

  private recentEntry(m: Measurement, period: string | number): OpenGroup | undefined {
    const recent = this.recent;
    const r = this.recentMeasurement;
    if (recent === undefined || r === undefined || recent.closed || this.recentPeriod !== period) {
      return undefined;
    }
    const same =
      r.type === m.type &&
      r.deviceId === m.deviceId &&
      r.patientId === m.patientId &&
      r.encounterId === m.encounterId;
    return same ? recent : undefined;
  }

  private entryFor(m: Measurement, interval: PeriodInterval, period: string | number): OpenGroup {
    const key = `${m.deviceId}\u0000${m.patientId ?? ''}\u0000${m.encounterId ?? ''}\u0000${m.type}\u0000${period}`;
    let entry = this.open.get(key);
    if (entry === undefined) {
      entry = { key, group: newGroup(m, interval), openedAt: this.clock.now(), closed: false };
      this.open.set(key, entry);
      this.append(entry);
    }
    return entry;
  }

  private append(entry: OpenGroup): void {
    entry.older = this.newest;
    if (this.newest) this.newest.newer = entry;
    else this.oldest = entry;
    this.newest = entry;
  }

  private take(entry: OpenGroup): MeasurementGroup {
    this.open.delete(entry.key);
    if (entry.older) entry.older.newer = entry.newer;
    else this.oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else this.newest = entry.older;
    entry.older = entry.newer = undefined;
    entry.closed = true;
    this.count -= entry.group.measurements.length;
    return entry.group;
  }
}

/**
 * A correlation group's id (`c:` text), a single reading's exact instant (its milliseconds, as `ms.ticks`
 * text when it has sub-millisecond ticks) or a period's start (as a number): never equal across kinds.
 */
function periodKey(m: Measurement, interval: PeriodInterval): string | number {
  const time = m.occurrenceTimeUtc;
  if (interval === PeriodInterval.Single && time.subMsTicks !== 0)
    return `${time.epochMs}.${time.subMsTicks}`;
  if (interval !== PeriodInterval.Correlation) return periodStart(interval, time.getTime());
  if (m.correlationId === undefined) {
    throw new NormalizationError(
      NormalizationFailure.MissingCorrelationId,
      m.type,
      'correlationIdExpression',
    );
  }
  return `c:${m.correlationId}`;
}

function newGroup(m: Measurement, interval: PeriodInterval): OpenGroup['group'] {
  const { start, end } = periodBoundary(interval, m.occurrenceTimeUtc);
  const group: OpenGroup['group'] = { type: m.type, deviceId: m.deviceId, start, end, measurements: [] };
  if (m.patientId !== undefined) group.patientId = m.patientId;
  if (m.encounterId !== undefined) group.encounterId = m.encounterId;
  if (interval === PeriodInterval.Correlation) group.correlationId = m.correlationId;
  return group;
}

function widen(group: OpenGroup['group'], time: UtcInstant): void {
  if (time.compare(group.start) < 0) group.start = time;
  if (time.compare(group.end) > 0) group.end = time;
}
