import { Injectable } from '@nestjs/common';
import { isRecordId, Principal, RequestContextService, Role } from '@hdp/platform';
import { PatientsRepository } from './patients.repository';
import { PatientDocument } from './patients.schema';
import { NotAuthenticatedError, PatientAccessDeniedError, PatientNotFoundError } from './patients.errors';

const PATIENT_DATA_ROLES: readonly Role[] = [Role.Clinician, Role.PartnerSystem, Role.Admin, Role.Patient];

/**
 * Every per-record access decision on patient data, in one place: roles and SMART scopes plug in here.
 * Outside the caller's patient compartment a record looks exactly like one that does not exist.
 */
@Injectable()
export class PatientAccessService {
  constructor(
    private readonly contexts: RequestContextService,
    private readonly patients: PatientsRepository,
  ) {}

  /** The caller may touch patient data at all; returns who they are. */
  requirePatientDataAccess(): Principal {
    const principal = this.contexts.current()?.principal;
    if (!principal) throw new NotAuthenticatedError();
    if (!principal.roles.some((role) => PATIENT_DATA_ROLES.includes(role)))
      throw new PatientAccessDeniedError();
    return principal;
  }

  /** The caller may touch this patient's records; else the patient "does not exist". */
  requireAccess(patientId: string): Principal {
    const principal = this.requirePatientDataAccess();
    if (principal.patientId !== undefined && principal.patientId !== patientId)
      throw new PatientNotFoundError();
    return principal;
  }

  /** The live patient the caller may touch; PatientNotFoundError for unknown, deleted or not-yours alike. */
  async requireLivePatient(patientId: string): Promise<PatientDocument> {
    this.requireAccess(patientId);
    const patient = isRecordId(patientId) ? await this.patients.findLive(patientId) : null;
    if (!patient) throw new PatientNotFoundError();
    return patient;
  }

  /**
   * Writing a clinical record (a test result): clinicians and systems, never a patient alone, who records
   * their own data as patient-reported records instead.
   */
  requireClinicalAuthor(): Principal {
    const principal = this.requirePatientDataAccess();
    if (!principal.roles.some((role) => role !== Role.Patient && PATIENT_DATA_ROLES.includes(role)))
      throw new PatientAccessDeniedError();
    return principal;
  }

  /**
   * Writing a test result addressed by identifier (conditional update, If-None-Exist). Identifiers are unique
   * across patients, so a caller confined to one patient's compartment would learn from the answer whether
   * another patient's record holds one: such callers, like patients, are refused before any look-up.
   */
  requireConditionalAuthor(): Principal {
    const principal = this.requireClinicalAuthor();
    if (principal.patientId !== undefined) throw new PatientAccessDeniedError();
    return principal;
  }

  /** Registering a new patient: not for callers confined to one patient's compartment. */
  requireCreate(): Principal {
    const principal = this.requirePatientDataAccess();
    if (principal.patientId !== undefined) throw new PatientAccessDeniedError();
    return principal;
  }

  /**
   * The patient a search across patients may cover: the one asked for (undefined: all), narrowed to the
   * caller's compartment; null when the one asked for lies outside it (the search finds nothing).
   */
  searchablePatient(patientId: string | undefined): string | undefined | null {
    const compartment = this.compartmentOf(this.requirePatientDataAccess());
    if (compartment === undefined) return patientId;
    return patientId === undefined || patientId === compartment ? compartment : null;
  }

  /** The only patient a search may return, when the caller is confined to a compartment. */
  compartmentOf(principal: Principal): string | undefined {
    return principal.patientId;
  }
}
