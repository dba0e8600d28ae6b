import { Injectable } from '@nestjs/common';
import type { Bundle, Identifier, Patient } from 'fhir/r4';
import {
  DuplicateIdentifierError,
  PatientHistoryService,
  PatientRecord,
  PatientsService,
  TestResultsService,
} from '@hdp/patients';
import { FhirValidationError } from '../fhir-validation';
import { ResourceHistory } from '../history/resource-history';
import { applyJsonPatch } from '../patch/json-patch';
import { fromFhirPatient, PatientInput, toFhirPatient } from './patient.mapper';
import { toFhirObservation } from '../observation/observation.mapper';
import { takeInclude } from '../search/includes';
import { bundleTotal } from '../search/result-controls';
import { Handling } from '../search/search-query';
import { countBundle, searchsetBundle } from '../search/searchset';
import { toPatientSearch } from './patient-search';

export const PATIENT_REVINCLUDES = ['Observation:patient', 'Observation:subject'];
const REVINCLUDE_LIMIT = 100;

/**
 * FHIR Patient interactions over the patient records: every one goes through PatientsService, so it is
 * access-checked and audited exactly as the REST API is. Nothing is stored here.
 */
@Injectable()
export class PatientResourceService {
  /** vread and history, over the versions the patients lib keeps of every change. */
  readonly history: ResourceHistory<PatientRecord>;

  constructor(
    private readonly patients: PatientsService,
    private readonly results: TestResultsService,
    history: PatientHistoryService,
  ) {
    this.history = new ResourceHistory('Patient', history, toFhirPatient);
  }

  async read(id: string): Promise<Patient> {
    return toFhirPatient(await this.patients.get(id, { reportDeleted: true }));
  }

  /** `id`: assigned by the caller (a transaction, which must know it before the patient exists). */
  async create(resource: unknown, id?: string): Promise<Patient> {
    const { record, fhirElements } = await fromFhirPatient(resource);
    return toFhirPatient(await this.patients.create(record, id, fhirElements));
  }

  /**
   * Conditional create: the live patient holding `criterion` when there is one (not created), else a new one.
   * The store decides races: the unique identifier index lets one of many parallel creates win (its record
   * is written when the others are refused), and the others answer with it instead of creating a duplicate.
   */
  async createIfNoneExist(
    resource: unknown,
    criterion: Identifier,
  ): Promise<{ patient: Patient; created: boolean }> {
    const { record, fhirElements } = await fromFhirPatient(resource);
    if (
      !record.identifier?.some(
        ({ system, value }) => system === criterion.system && value === criterion.value,
      )
    )
      throw new FhirValidationError([
        { path: 'Patient.identifier', message: 'must hold the identifier named by If-None-Exist' },
      ]);
    const existing = await this.readByIdentifier(criterion);
    if (existing) return { patient: existing, created: false };
    try {
      return {
        patient: toFhirPatient(await this.patients.create(record, undefined, fhirElements)),
        created: true,
      };
    } catch (error) {
      const winner =
        error instanceof DuplicateIdentifierError ? await this.readByIdentifier(criterion) : undefined;
      if (!winner) throw error;
      return { patient: winner, created: false };
    }
  }

  /** Versioned update: If-Match is required (428 without, 412 when stale), as on the REST API. */
  async update(id: string, resource: unknown, ifMatch: string | undefined): Promise<Patient> {
    const { record, fhirElements } = await recordOf(id, resource);
    return toFhirPatient(await this.patients.replace(id, record, ifMatch, fhirElements));
  }

  /**
   * JSON Patch of the Patient resource, validated like an update. If-Match, when sent, must name the current
   * version; without it the patch applies to the version it read (a concurrent change makes it a 412).
   */
  async patch(id: string, patch: unknown, ifMatch: string | undefined): Promise<Patient> {
    const patched = await this.patients.changeWith(
      id,
      (current) => recordOf(id, applyJsonPatch(toFhirPatient(current), patch)),
      ifMatch ?? '*',
    );
    return toFhirPatient(patched);
  }

  /**
   * Conditional update by identifier (`system|value`): updates the patient holding it (`ifMatch`, when sent,
   * must name its version), creates one when none does. The unique identifier index keeps a race to one patient.
   */
  async updateByIdentifier(
    criterion: Identifier,
    resource: unknown,
    ifMatch: string | undefined,
  ): Promise<{ resource: Patient; created: boolean }> {
    const holder = await this.readByIdentifier(criterion);
    if (!holder) return { resource: await this.create(resource), created: true };
    const update = { ...(resource as Patient), id: holder.id };
    const tag = ifMatch ?? `W/"${holder.meta?.versionId}"`;
    return { resource: await this.update(holder.id!, update, tag), created: false };
  }

  /** Sets a live patient back to `resource`, a past version of it: a FHIR transaction undoing its update. */
  async restore(id: string, resource: Patient): Promise<Patient> {
    return toFhirPatient(await this.patients.changeWith(id, () => fromFhirPatient(resource), '*'));
  }

  /** If-Match, when sent, must name the current version; FHIR clients commonly delete without one. */
  delete(id: string, ifMatch: string | undefined): Promise<void> {
    return this.patients.delete(id, ifMatch ?? '*');
  }

  /** The live patient holding `identifier` that the caller may see (an audited search); identifiers are unique. */
  async readByIdentifier({ system, value }: Identifier): Promise<Patient | undefined> {
    const page = await this.patients.search({ identifier: `${system}|${value}`, limit: 1 });
    return page.items[0] && toFhirPatient(page.items[0]);
  }

  /**
   * With `_revinclude=Observation:patient` (or `:subject`), each matched patient's newest Observations
   * (up to REVINCLUDE_LIMIT each) follow the page. `handling`: what to do with unknown parameters.
   */
  async search(base: string, query: Record<string, unknown>, handling?: Handling): Promise<Bundle> {
    const { asked, rest } = takeInclude(query, '_revinclude', PATIENT_REVINCLUDES);
    const { search, ignored } = toPatientSearch(rest, handling);
    const { limit, cursor, sort, total, countOnly, ...criteria } = search;
    if (countOnly)
      return countBundle(base, 'Patient', query, await this.patients.countByCriteria(criteria), ignored);
    const page = await this.patients.searchByCriteria(criteria, {
      limit,
      cursor,
      sort,
      count: total === 'accurate',
    });
    const observations = asked
      ? await Promise.all(
          page.items.map((patient) =>
            this.results.searchObservations({ patientId: patient.id, limit: REVINCLUDE_LIMIT }),
          ),
        )
      : [];
    const included = observations.flatMap((found) => found.items.map(toFhirObservation));
    return searchsetBundle(base, 'Patient', query, page.items.map(toFhirPatient), page.next, included, {
      total: bundleTotal(total, page, cursor === undefined),
      ignored,
    });
  }
}

/** A Patient sent to `id` as the record it describes; its id must be the URL's. */
async function recordOf(id: string, resource: unknown): Promise<PatientInput> {
  const input = await fromFhirPatient(resource);
  if ((resource as Patient).id !== id)
    throw new FhirValidationError([{ path: 'Patient.id', message: 'must equal the id in the URL' }]);
  return input;
}
