import { createHash } from 'node:crypto';
import type { Device, Identifier } from 'fhir/r4';
import { identifierKeyOf } from '../test-results.keys';

/** A Device as a device record holds it: everything but its id, and no `meta.versionId`/`lastUpdated`. */
export type DeviceContent = Omit<Device, 'resourceType' | 'id'>;

/** A stored device as its FHIR face reads it: the record's id, version and time, and the Device it is. */
export interface DeviceRecord {
  readonly id: string;
  readonly patientId?: string;
  readonly version: number;
  readonly updatedAt: string;
  readonly device: DeviceContent;
}

/** The indexed keys of a device record, derived from its Device on every write, never set alone. */
export interface DeviceKeys {
  /** The first identifier's key: unique, so the store itself keeps one device per identifier. */
  readonly identifierKey?: string;
  /** `system|value` and any-system `value` keys of every identifier. */
  readonly identifierKeys: string[];
}

/** The key an identifier's value has in any system (opaque and fixed-size, like `identifierKeyOf`). */
export function identifierValueKeyOf(value: string): string {
  return createHash('sha256').update(`value:${value}`).digest('base64url');
}

/** The key of an identifier search value: `system|value`, or `value` in any system. */
export function identifierSearchKey(system: string | undefined, value: string): string {
  return system === undefined ? identifierValueKeyOf(value) : identifierKeyOf({ system, value });
}

export function deviceKeysOf(device: DeviceContent): DeviceKeys {
  const identifiers: Identifier[] = device.identifier ?? [];
  const keys = identifiers.map(identifierKeyOf);
  const values = identifiers.flatMap(({ value }) =>
    value === undefined ? [] : [identifierValueKeyOf(value)],
  );
  return {
    ...(keys.length > 0 ? { identifierKey: keys[0] } : {}),
    identifierKeys: [...new Set([...keys, ...values])],
  };
}
