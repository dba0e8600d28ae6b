import { DomainError, ErrorKind } from '@hdp/platform';

/** Why a device message's device, patient or encounter could not be resolved; usable as a dead-letter reason. */
export enum IdentityFailure {
  DeviceNotFound = 'device-not-found',
  DeviceNotLinked = 'device-not-linked',
  DeviceLinkedElsewhere = 'device-linked-elsewhere',
  PatientIdMissing = 'patient-id-missing',
  EncounterIdMissing = 'encounter-id-missing',
  EncounterNotFound = 'encounter-not-found',
  EncounterOfAnotherPatient = 'encounter-of-another-patient',
  Refused = 'identity-refused',
}

/**
 * A device message whose identities the pipeline cannot resolve under DEVICE_IDENTITY_RESOLUTION. The
 * message names the failure only, never an identifier (identifiers of patients are PHI).
 */
export class IdentityResolutionError extends DomainError {
  readonly kind = ErrorKind.Unprocessable;

  constructor(readonly reason: IdentityFailure) {
    super(`The device message's identities cannot be resolved: ${reason}`);
  }
}
