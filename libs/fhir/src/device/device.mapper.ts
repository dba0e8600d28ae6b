import type { Device } from 'fhir/r4';
import { DeviceContent, DeviceRecord } from '@hdp/patients';
import { checkOn, FhirValidationError, identifierIssues, unsupportedElements } from '../fhir-validation';
import { asResource, patientIdOf, storedContent } from '../stored-resource';
import { DEVICE_SHAPE } from './device-shape';

const RESOURCE = 'Device';
const check = checkOn(RESOURCE);
const STATUSES: readonly string[] = ['active', 'inactive', 'entered-in-error', 'unknown'];

/** A validated Device: the patient it is linked to, if any, and what the device record holds. */
export interface DeviceInput {
  readonly patientId?: string;
  readonly content: DeviceContent;
}

/** A stored device as a FHIR R4 Device; `meta.versionId` is the record's version. */
export function toFhirDevice(record: DeviceRecord): Device {
  return asResource(RESOURCE, record, record.device);
}

/**
 * A FHIR Device as the device record it describes. Throws FhirValidationError (422) naming, by FHIRPath
 * expression and never by value, each element the server cannot hold or that breaks a rule it relies on:
 * status from its value set, a `patient` naming a patient by id, identifiers with system and value.
 * Server-assigned `id`/`meta` are ignored.
 */
export function fromFhirDevice(resource: unknown): DeviceInput {
  const structural = unsupportedElements(resource, DEVICE_SHAPE, RESOURCE);
  if (structural.length > 0) throw new FhirValidationError(structural);
  const device = resource as Device;
  const patientId = patientIdOf(device.patient);
  const issues = [
    ...check((device.resourceType as string) === RESOURCE, 'resourceType', 'must be Device'),
    ...check(
      device.status === undefined || STATUSES.includes(device.status),
      'status',
      'must be a Device status code',
    ),
    ...check(
      device.patient === undefined || patientId !== undefined,
      'patient',
      'must reference a Patient by id (Patient/{id})',
    ),
    ...identifierIssues(RESOURCE, device.identifier),
  ];
  if (issues.length > 0) throw new FhirValidationError(issues);
  return { ...(patientId !== undefined ? { patientId } : {}), content: storedContent(device) };
}
