import type { Meta, Reference } from 'fhir/r4';
import { isRecordId } from '@hdp/platform';

/** The record behind a resource: its id, version and update time are the server's metadata. */
export interface RecordMeta {
  readonly id: string;
  readonly version: number;
  readonly updatedAt: string;
}

const PATIENT_REFERENCE = /^Patient\/(.+)$/;

/** A stored resource's content as the FHIR resource: `meta.versionId` is the record's version. */
export function asResource<T extends string, C extends { meta?: Meta }>(
  resourceType: T,
  record: RecordMeta,
  content: C,
) {
  const { meta, ...rest } = content;
  return {
    resourceType,
    id: record.id,
    meta: { ...meta, versionId: String(record.version), lastUpdated: record.updatedAt },
    ...rest,
  };
}

/**
 * What a record holds of a validated resource: everything but `resourceType` and `id`, and `meta` without
 * the server-assigned `versionId`/`lastUpdated` (omitted when nothing else is left of it).
 */
export function storedContent<T extends { meta?: Meta }>(resource: T): Omit<T, 'resourceType' | 'id'> {
  const content = without(resource, ['resourceType', 'id', 'meta']);
  const meta = without(resource.meta ?? {}, ['versionId', 'lastUpdated']);
  return (Object.keys(meta).length > 0 ? { meta, ...content } : content) as Omit<T, 'resourceType' | 'id'>;
}

/** The patient id a `Patient/{id}` reference names; undefined for anything else. */
export function patientIdOf(reference: Reference | undefined): string | undefined {
  const text = reference?.reference;
  const id = typeof text === 'string' ? PATIENT_REFERENCE.exec(text)?.[1] : undefined;
  return isRecordId(id) ? id : undefined;
}

function without<T extends object>(value: T, keys: readonly string[]): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key))) as Partial<T>;
}
