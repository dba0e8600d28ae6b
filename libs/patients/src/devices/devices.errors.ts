import { DomainError, ErrorKind } from '@hdp/platform';

const PATIENT = 'Device.patient';

/** Also what a caller outside the linked patient's compartment sees. */
export class DeviceNotFoundError extends DomainError {
  readonly kind = ErrorKind.NotFound;
  constructor() {
    super('No device with this id.');
  }
}

/** Never names the identifier. */
export class DeviceIdentifierTakenError extends DomainError {
  readonly kind = ErrorKind.Conflict;
  constructor() {
    super('Another device already has this identifier.');
  }
}

/** A look-up by identifier that more than one device answers. */
export class AmbiguousDeviceIdentifierError extends DomainError {
  readonly kind = ErrorKind.PreconditionFailed;
  constructor() {
    super('More than one device has this identifier.');
  }
}

/** `Device.patient` is not a patient the caller may link a device to (unknown, deleted or not theirs). */
export class UnknownDevicePatientError extends DomainError {
  readonly kind = ErrorKind.Unprocessable;
  constructor() {
    super('The patient must reference an existing patient.', [
      { path: PATIENT, message: 'must reference an existing Patient on this server' },
    ]);
  }
}

/** A device linked to one patient is never silently re-linked to another (nor unlinked by a write). */
export class DeviceLinkedElsewhereError extends DomainError {
  readonly kind = ErrorKind.Conflict;
  constructor() {
    super('The device is linked to another patient.', [
      { path: PATIENT, message: 'must reference the patient the device is linked to' },
    ]);
  }
}
