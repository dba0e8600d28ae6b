import { Injectable } from '@nestjs/common';
import type { Bundle, Patient } from 'fhir/r4';
import { PatientsService } from '@hdp/patients';
import { FhirValidationError } from '../fhir-validation';
import { fromFhirPatient, toFhirPatient } from './patient.mapper';
import { searchsetBundle, toPatientSearch } from './patient-search';

/**
 * FHIR Patient interactions over the patient records: every one goes through PatientsService, so it is
 * access-checked and audited exactly as the REST API is. Nothing is stored here.
 */
@Injectable()
export class PatientResourceService {
  constructor(private readonly patients: PatientsService) {}

  async read(id: string): Promise<Patient> {
    return toFhirPatient(await this.patients.get(id, { reportDeleted: true }));
  }

  async create(resource: unknown): Promise<Patient> {
    return toFhirPatient(await this.patients.create(await fromFhirPatient(resource)));
  }

  /** Versioned update: If-Match is required (428 without, 412 when stale), as on the REST API. */
  async update(id: string, resource: unknown, ifMatch: string | undefined): Promise<Patient> {
    const record = await fromFhirPatient(resource);
    if ((resource as Patient).id !== id)
      throw new FhirValidationError([{ path: 'Patient.id', message: 'must equal the id in the URL' }]);
    return toFhirPatient(await this.patients.replace(id, record, ifMatch));
  }

  /** If-Match, when sent, must name the current version; FHIR clients commonly delete without one. */
  delete(id: string, ifMatch: string | undefined): Promise<void> {
    return this.patients.delete(id, ifMatch ?? '*');
  }

  async search(base: string, query: Record<string, unknown>): Promise<Bundle> {
    const page = await this.patients.search(await toPatientSearch(query));
    return searchsetBundle(base, query, page.items.map(toFhirPatient), page.next);
  }
}
