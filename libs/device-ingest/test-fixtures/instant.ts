import { UtcInstant } from '../src/common/utc-instant';
import { parseTimestamp } from '../src/normalization/timestamp';

/** The instant an ISO 8601 text names, every fraction digit (to 100 ns) kept: `instant('…02.6073744Z')`. */
export function instant(text: string): UtcInstant {
  const time = parseTimestamp(text);
  if (time === undefined) throw new Error(`Not a timestamp: ${text}`);
  return time;
}
