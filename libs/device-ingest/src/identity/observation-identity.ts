import { createHash } from 'node:crypto';
import type { Identifier } from 'fhir/r4';
import { UtcInstant } from '../common/utc-instant';
import { MeasurementGroup } from '../grouping/measurement-group';

/** The identifier system MedTech gives the Observations it writes; kept so existing Observations merge. */
export const MEDTECH_IDENTIFIER_SYSTEM = 'https://azure.microsoft.com/en-us/services/iomt-fhir-connector/';

/** FHIR resource ids the caller resolved for a group's device, patient and (optionally) encounter. */
export interface ObservationReferences {
  readonly patientId: string;
  readonly deviceId: string;
  readonly encounterId?: string;
}

/**
 * MedTech's deterministic Observation identifier: `{patient}.{device}.{type}.{start}.{end}` with times as
 * `yyyyMMddHHmmssZ` in UTC, or `{patient}.{device}.{type}.{correlationId}` for correlation groups.
 */
export function observationIdentifier(
  group: MeasurementGroup,
  references: ObservationReferences,
): Identifier {
  const segment = group.correlationId ?? `${compactUtc(group.start)}.${compactUtc(group.end)}`;
  return {
    system: MEDTECH_IDENTIFIER_SYSTEM,
    value: `${references.patientId}.${references.deviceId}.${group.type}.${segment}`,
  };
}

/** The Observation's resource id: SHA-256 (lower-case hex) of `{system}_{value}`, as MedTech derives it. */
export function observationResourceId(identifier: Identifier): string {
  return createHash('sha256').update(`${identifier.system}_${identifier.value}`, 'utf8').digest('hex');
}

function compactUtc(time: UtcInstant): string {
  return `${time.toISOString().slice(0, 19).replace(/[-T:]/g, '')}Z`;
}

/**
 * The references of a group whose ids are already resource ids (the pipeline resolves them before grouping);
 * the `$test` tool, which resolves nothing, shows the message's own ids in their place.
 */
export function referencesOf(group: MeasurementGroup): ObservationReferences {
  return {
    patientId: group.patientId ?? 'unlinked',
    deviceId: group.deviceId,
    ...(group.encounterId === undefined ? {} : { encounterId: group.encounterId }),
  };
}
