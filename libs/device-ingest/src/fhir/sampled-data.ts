import { UtcInstant } from '../common/utc-instant';

/** A reading at a time. */
export interface TimedValue {
  readonly time: UtcInstant;
  readonly value: string;
}

const EMPTY_SLOT = 'E';

/**
 * Encodes readings as SampledData `data`: one slot per `period` ms from `start` while the slot starts at or
 * before `end`; `E` marks an empty slot. Readings are applied in order, so a later one wins its slot.
 */
export function encodeSampledData(
  values: readonly TimedValue[],
  start: UtcInstant,
  end: UtcInstant,
  period: number,
): string {
  const slots = new Array<string>(Math.floor(end.msSince(start) / period) + 1).fill(EMPTY_SLOT);
  for (const { time, value } of values) {
    const slot = Math.floor(time.msSince(start) / period);
    if (slot >= 0 && slot < slots.length) slots[slot] = value;
  }
  return slots.join(' ');
}

/** Decodes SampledData `data` back into readings at their slot times, skipping empty slots. */
export function decodeSampledData(data: string, start: UtcInstant, period: number): TimedValue[] {
  const values: TimedValue[] = [];
  data
    .trim()
    .split(/\s+/)
    .forEach((token, slot) => {
      if (token !== EMPTY_SLOT && token !== '')
        values.push({ time: start.plusMs(slot * period), value: token });
    });
  return values;
}
