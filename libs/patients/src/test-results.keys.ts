import { createHash } from 'node:crypto';
import type { CodeableConcept, Identifier, Observation } from 'fhir/r4';

/**
 * An Observation as a test result holds it: everything but its id, and no `meta.versionId`/`lastUpdated`
 * (the record's version and update time are the truth).
 */
export type ObservationContent = Omit<Observation, 'resourceType' | 'id'>;

/** A time range, start inclusive, end exclusive. */
export interface DateRange {
  readonly start: Date;
  readonly end: Date;
}

/** The indexed search keys of a test result, derived from its Observation on every write, never set alone. */
export interface TestResultSearchKeys {
  readonly status: string;
  readonly codeTokens: string[];
  readonly categoryTokens: string[];
  readonly effectiveStart: Date;
  readonly effectiveEnd: Date;
  readonly device?: string;
  /** The first identifier's key: unique, so the store itself keeps one result per identifier. */
  readonly identifierKey?: string;
  readonly identifierKeys: string[];
}

// The widest instants a BSON date holds comfortably: open Period ends.
const OPEN_START = new Date('0001-01-01T00:00:00.000Z');
const OPEN_END = new Date('9999-12-31T23:59:59.999Z');

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::(\d{2})(\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The range a FHIR date, dateTime or instant stands for (`2012` is that year, `2012-09-17` that day, a time
 * to the second that second); undefined when it is not one. Dates without a zone are taken as UTC.
 */
export function dateRange(value: string): DateRange | undefined {
  const partial = PARTIAL_DATE.exec(value);
  if (partial) {
    const [, year, month, day] = partial;
    const start = new Date(Date.UTC(Number(year), Number(month ?? 1) - 1, Number(day ?? 1)));
    if (start.getUTCFullYear() !== Number(year) || (month && start.getUTCMonth() + 1 !== Number(month)))
      return undefined;
    if (day && start.getUTCDate() !== Number(day)) return undefined;
    const end = new Date(start);
    if (day) end.setUTCDate(end.getUTCDate() + 1);
    else if (month) end.setUTCMonth(end.getUTCMonth() + 1);
    else end.setUTCFullYear(end.getUTCFullYear() + 1);
    return { start, end };
  }
  const time = DATE_TIME.exec(value);
  const start = time ? new Date(value) : undefined;
  if (!time || !start || Number.isNaN(start.getTime())) return undefined;
  const [, seconds, fraction] = time;
  const precision = fraction ? 1 : seconds ? 1000 : 60_000;
  return { start, end: new Date(start.getTime() + precision) };
}

/** The range an Observation's effective[x] covers; undefined when it has none this server can place in time. */
export function effectiveRange(observation: ObservationContent): DateRange | undefined {
  const instant = observation.effectiveDateTime ?? observation.effectiveInstant;
  if (instant !== undefined) return dateRange(instant);
  const period = observation.effectivePeriod;
  if (!period || (period.start === undefined && period.end === undefined)) return undefined;
  const start = period.start === undefined ? { start: OPEN_START } : dateRange(period.start);
  const end = period.end === undefined ? { end: OPEN_END } : dateRange(period.end);
  return start && end ? { start: start.start, end: end.end } : undefined;
}

/** Token keys of a CodeableConcept: `s:system|code` for each coding, and `c:code` for any-system searches. */
export function conceptTokens(concepts: readonly CodeableConcept[]): string[] {
  const tokens = concepts.flatMap((concept) =>
    (concept.coding ?? []).flatMap(({ system, code }) =>
      code === undefined ? [] : [tokenOf(system, code), tokenOf(undefined, code)],
    ),
  );
  return [...new Set(tokens)];
}

/** The key of one token search value: `system|code`, or any system's `code`. */
export function tokenOf(system: string | undefined, code: string): string {
  return system === undefined ? `c:${code}` : `s:${system}|${code}`;
}

/** An identifier as an opaque, fixed-size key (identifiers may be long, and are never shown in the store's keys). */
export function identifierKeyOf({ system, value }: Identifier): string {
  return createHash('sha256')
    .update(`${system ?? ''}|${value ?? ''}`)
    .digest('base64url');
}

/** The search keys of an Observation; it must have been validated (status, code and effective[x] present). */
export function searchKeysOf(observation: ObservationContent): TestResultSearchKeys {
  const effective = effectiveRange(observation);
  if (!effective) throw new Error('An Observation without a usable effective[x] reached the store');
  const identifiers = (observation.identifier ?? []).map(identifierKeyOf);
  return {
    status: observation.status,
    codeTokens: conceptTokens([observation.code]),
    categoryTokens: conceptTokens(observation.category ?? []),
    effectiveStart: effective.start,
    effectiveEnd: effective.end,
    ...(observation.device?.reference ? { device: observation.device.reference } : {}),
    ...(identifiers.length > 0 ? { identifierKey: identifiers[0] } : {}),
    identifierKeys: identifiers,
  };
}
