import { Injectable } from '@nestjs/common';
import type { Identifier, Patient, Reference } from 'fhir/r4';
import { DeviceResourceService, EncounterResourceService, PatientResourceService } from '@hdp/fhir';
import { DeviceLinkedElsewhereError } from '@hdp/patients';
import { AppConfig, DomainError, ErrorKind } from '@hdp/platform';
import { IdentityFailure, IdentityResolutionError } from '../errors/identity-resolution.error';
import { ObservationReferences } from './observation-identity';

/** The ids a device message names its device, patient and encounter by. */
export interface SourceIdentity {
  readonly deviceId: string;
  readonly patientId?: string;
  readonly encounterId?: string;
}

/** Rounds a Create-mode patient creation waits for the replica that won its identifier to finish writing. */

/**
 * What Create mode writes for a patient it meets first in a device message: the system of record requires
 * a name, gender and birth date, which a device message does not carry; these mark them as not yet known.
 */
const UNKNOWN_DEMOGRAPHICS: Omit<Patient, 'resourceType'> = {
  name: [{ family: 'Unknown' }],
  gender: 'unknown',
  birthDate: '1900-01-01',
};

/**
 * MedTech's identity resolution over the FHIR face (DEVICE_IDENTITY_RESOLUTION): `Lookup` finds the Device
 * by identifier and takes its patient; `LookupWithEncounter` also finds the Encounter; `Create` creates the
 * Patient (by the message's patient id) and the Device linked to it when missing. Creation is arbitrated by
 * the store's unique identifier keys, so replicas meeting a new device at once create one of each. Throws
 * IdentityResolutionError for what cannot be resolved; store errors propagate (they may heal).
 * Must run in the pipeline's request context.
 */
@Injectable()
export class DeviceIdentityResolver {
  constructor(
    private readonly config: AppConfig,
    private readonly devices: DeviceResourceService,
    private readonly patients: PatientResourceService,
    private readonly encounters: EncounterResourceService,
  ) {}

  async resolve(source: SourceIdentity): Promise<ObservationReferences> {
    try {
      const { deviceId, patientId } =
        this.config.DEVICE_IDENTITY_RESOLUTION === 'Create'
          ? await this.createIfMissing(source)
          : await this.lookUp(source);
      if (this.config.DEVICE_IDENTITY_RESOLUTION !== 'LookupWithEncounter') return { deviceId, patientId };
      return { deviceId, patientId, encounterId: await this.encounterOf(source, patientId) };
    } catch (error) {
      const refused =
        error instanceof DomainError &&
        error.kind !== ErrorKind.Unavailable &&
        !(error instanceof IdentityResolutionError);
      if (refused)
        throw new IdentityResolutionError(
          error instanceof DeviceLinkedElsewhereError
            ? IdentityFailure.DeviceLinkedElsewhere
            : IdentityFailure.Refused,
        );
      throw error;
    }
  }

  private async lookUp(source: SourceIdentity) {
    const device = await this.devices.findByIdentifier(this.config.DEVICE_IDENTIFIER_SYSTEM, source.deviceId);
    if (!device?.id) throw new IdentityResolutionError(IdentityFailure.DeviceNotFound);
    const patientId = idOf(device.patient, 'Patient');
    if (!patientId) throw new IdentityResolutionError(IdentityFailure.DeviceNotLinked);
    return { deviceId: device.id, patientId };
  }

  /** A device already linked keeps its patient: a message naming another one is refused, never re-linked. */
  private async createIfMissing(source: SourceIdentity) {
    if (source.patientId === undefined) throw new IdentityResolutionError(IdentityFailure.PatientIdMissing);
    const identifier = { system: this.config.DEVICE_IDENTIFIER_SYSTEM, value: source.deviceId };
    const found = await this.devices.findByIdentifier(identifier.system, identifier.value);
    const linked = idOf(found?.patient, 'Patient');
    if (found?.id && linked) {
      if ((await this.existingPatient(source.patientId)) !== linked)
        throw new IdentityResolutionError(IdentityFailure.DeviceLinkedElsewhere);
      return { deviceId: found.id, patientId: linked };
    }
    const patientId = await this.patientCreatedIfMissing(source.patientId);
    const device = await this.devices.createLinked(identifier, patientId);
    return { deviceId: device.id as string, patientId };
  }

  private async existingPatient(value: string): Promise<string | undefined> {
    const query = { identifier: `${this.config.DEVICE_PATIENT_IDENTIFIER_SYSTEM}|${value}`, _count: '1' };
    const page = await this.patients.search('', query);
    return page.entry?.[0]?.resource?.id;
  }

  /** Conditional create: one of several replicas creating the same patient wins, the others get its id. */
  private async patientCreatedIfMissing(value: string): Promise<string> {
    const identifier: Identifier = { system: this.config.DEVICE_PATIENT_IDENTIFIER_SYSTEM, value };
    const resource = { resourceType: 'Patient', identifier: [identifier], ...UNKNOWN_DEMOGRAPHICS };
    return (await this.patients.createIfNoneExist(resource, identifier)).patient.id as string;
  }

  private async encounterOf(source: SourceIdentity, patientId: string): Promise<string> {
    if (source.encounterId === undefined)
      throw new IdentityResolutionError(IdentityFailure.EncounterIdMissing);
    const encounter = await this.encounters.findByIdentifier(
      this.config.DEVICE_ENCOUNTER_IDENTIFIER_SYSTEM,
      source.encounterId,
    );
    if (!encounter?.id) throw new IdentityResolutionError(IdentityFailure.EncounterNotFound);
    if (idOf(encounter.subject, 'Patient') !== patientId)
      throw new IdentityResolutionError(IdentityFailure.EncounterOfAnotherPatient);
    return encounter.id;
  }
}

function idOf(reference: Reference | undefined, type: string): string | undefined {
  const prefix = `${type}/`;
  return reference?.reference?.startsWith(prefix) ? reference.reference.slice(prefix.length) : undefined;
}
