import type { Encounter } from 'fhir/r4';
import { identifierValueKeyOf } from '../devices/device.keys';
import { dateRange, identifierKeyOf, tokenOf } from '../test-results.keys';

/** An Encounter as an encounter record holds it: everything but its id, and no `meta.versionId`/`lastUpdated`. */
export type EncounterContent = Omit<Encounter, 'resourceType' | 'id'>;

/** A stored encounter as its FHIR face reads it: the record's id, version and time, and the Encounter it is. */
export interface EncounterRecord {
  readonly id: string;
  readonly patientId: string;
  readonly version: number;
  readonly updatedAt: string;
  readonly encounter: EncounterContent;
}

/** The indexed keys of an encounter record, derived from its Encounter on every write, never set alone. */
export interface EncounterKeys {
  /** The first identifier's key: unique, so the store itself keeps one encounter per identifier. */
  readonly identifierKey?: string;
  /** `system|value` and any-system `value` keys of every identifier. */
  readonly identifierKeys: string[];
  readonly status: string;
  /** `system|code` and any-system `code` tokens of the class. */
  readonly classTokens: string[];
  /** The period as a range; an open end is the earliest or latest instant, so range conditions still apply. */
  readonly periodStart: Date;
  readonly periodEnd: Date;
}

const EARLIEST = new Date(-8.64e15);
const LATEST = new Date(8.64e15);

export function encounterKeysOf(encounter: EncounterContent): EncounterKeys {
  const identifiers = encounter.identifier ?? [];
  const keys = identifiers.map(identifierKeyOf);
  const values = identifiers.flatMap(({ value }) =>
    value === undefined ? [] : [identifierValueKeyOf(value)],
  );
  const { system, code } = encounter.class;
  return {
    ...(keys.length > 0 ? { identifierKey: keys[0] } : {}),
    identifierKeys: [...new Set([...keys, ...values])],
    status: encounter.status,
    classTokens:
      code === undefined ? [] : [tokenOf(undefined, code), ...(system ? [tokenOf(system, code)] : [])],
    periodStart: boundOf(encounter.period?.start, 'start') ?? EARLIEST,
    periodEnd: boundOf(encounter.period?.end, 'end') ?? LATEST,
  };
}

function boundOf(value: string | undefined, side: 'start' | 'end'): Date | undefined {
  return value === undefined ? undefined : dateRange(value)?.[side];
}
