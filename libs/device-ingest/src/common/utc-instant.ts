const TICKS_PER_MS = 10_000;

/**
 * A UTC instant to the 100 ns tick, the precision of .NET's DateTime, in which MedTech keeps a device's
 * timestamp (`…02.6073744Z`); a JavaScript Date would keep milliseconds only. Immutable; compared, grouped
 * and written with every tick.
 */
export class UtcInstant {
  private constructor(
    /** Whole epoch milliseconds (the floor, as Date#getTime gives). */
    readonly epochMs: number,
    /** 100 ns ticks past `epochMs`, 0 to 9,999. */
    readonly subMsTicks: number,
  ) {}

  /** The instant `subMsTicks` (0 to 9,999) ticks past `epochMs` (a whole number of milliseconds). */
  static of(epochMs: number, subMsTicks = 0): UtcInstant {
    return new UtcInstant(epochMs, subMsTicks);
  }

  static fromDate(date: Date): UtcInstant {
    return new UtcInstant(date.getTime(), 0);
  }

  /** Epoch milliseconds, the sub-millisecond ticks left out (as Date#getTime). */
  getTime(): number {
    return this.epochMs;
  }

  compare(other: UtcInstant): number {
    return this.epochMs - other.epochMs || this.subMsTicks - other.subMsTicks;
  }

  /** Milliseconds from `origin` to this instant, with the ticks as the fraction. */
  msSince(origin: UtcInstant): number {
    return this.epochMs - origin.epochMs + (this.subMsTicks - origin.subMsTicks) / TICKS_PER_MS;
  }

  /** The instant `ms` milliseconds later, to the nearest tick. */
  plusMs(ms: number): UtcInstant {
    const ticks = this.subMsTicks + Math.round(ms * TICKS_PER_MS);
    const wholeMs = Math.floor(ticks / TICKS_PER_MS);
    return new UtcInstant(this.epochMs + wholeMs, ticks - wholeMs * TICKS_PER_MS);
  }

  /** Seven fraction digits, as .NET's round-trip ("o") format writes it: `2024-03-01T10:59:59.9999999Z`. */
  toISOString(): string {
    return `${new Date(this.epochMs).toISOString().slice(0, 23)}${String(this.subMsTicks).padStart(4, '0')}Z`;
  }

  /** Milliseconds always, the ticks only when there are any: `…05.000Z`, `…02.6073744Z`. */
  toJSON(): string {
    const text = this.toISOString();
    return `${text.slice(0, 23)}${text.slice(23, 27).replace(/0+$/, '')}Z`;
  }
}
