import type { Request } from 'express';
import { DomainError, ErrorKind } from '@hdp/platform';
import type { ContentRange } from './documents.service';

class RangeNotSatisfiableError extends DomainError {
  readonly kind = ErrorKind.RangeNotSatisfiable;

  constructor() {
    super('The requested range is outside the content.');
  }
}

/**
 * The single byte range a `Range` header asks for, or undefined for the whole content (no header, a
 * malformed one, or several ranges, which are served whole as RFC 9110 allows). 416 when it lies outside.
 */
export function rangeOf(req: Request, size: number): ContentRange | undefined {
  if (!req.headers.range) return undefined;
  const ranges = req.range(size);
  if (ranges === -1) throw new RangeNotSatisfiableError();
  if (ranges === undefined || ranges === -2 || ranges.length !== 1) return undefined;
  return { start: ranges[0].start, end: ranges[0].end };
}
