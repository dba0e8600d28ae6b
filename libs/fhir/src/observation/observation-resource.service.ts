import { Injectable } from '@nestjs/common';
import type { Bundle, Identifier, Observation } from 'fhir/r4';
import { PatientsService, TestResultsByIdentifierService, TestResultsService } from '@hdp/patients';
import { FhirValidationError } from '../fhir-validation';
import { takePatientIdentifierChain } from '../search/chains';
import { includable, patientIdsOf, takeInclude } from '../search/includes';
import { searchsetBundle } from '../search/searchset';
import { toFhirPatient } from '../patient/patient.mapper';
import { toObservationSearch } from './observation-search';
import { fromFhirObservation, toFhirObservation } from './observation.mapper';

export const OBSERVATION_INCLUDES = ['Observation:patient', 'Observation:subject'];

/**
 * FHIR Observation interactions over the test results: every one goes through TestResultsService, so it is
 * the same record as on the REST API, access-checked and audited the same way. Nothing is stored here.
 */
@Injectable()
export class ObservationResourceService {
  constructor(
    private readonly results: TestResultsService,
    private readonly byIdentifier: TestResultsByIdentifierService,
    private readonly patients: PatientsService,
  ) {}

  async read(id: string): Promise<Observation> {
    return toFhirObservation(await this.results.readObservation(id));
  }

  async create(resource: unknown): Promise<Observation> {
    const { patientId, content } = fromFhirObservation(resource);
    return toFhirObservation(await this.results.createObservation(patientId, content));
  }

  /** Versioned update: If-Match is required (428 without, 412 when stale); the body id must be the URL's. */
  async update(id: string, resource: unknown, ifMatch: string | undefined): Promise<Observation> {
    const { patientId, content } = fromFhirObservation(resource);
    if ((resource as Observation).id !== id)
      throw new FhirValidationError([{ path: 'Observation.id', message: 'must equal the id in the URL' }]);
    return toFhirObservation(await this.results.updateObservation(id, patientId, content, ifMatch));
  }

  /** The Observation holding `identifier` (with its version in `meta.versionId`), or undefined; 412 when several do. */
  async readByIdentifier(identifier: Identifier): Promise<Observation | undefined> {
    const found = await this.results.readObservationByIdentifier(identifier);
    return found && toFhirObservation(found);
  }

  /**
   * Conditional update by identifier (`system|value`): creates the Observation when none holds it, updates
   * the one that does, 412 when several do. One Observation per identifier is kept by the store, so parallel
   * calls converge on one resource. Preconditions for an optimistic merge (the device pipeline's sink):
   * `ifMatch` (`W/"n"`) must name the held version; `ifNoneMatch: '*'` only creates. Either fails with 412.
   */
  async updateByIdentifier(
    identifier: Identifier,
    resource: unknown,
    precondition: { ifMatch?: string; ifNoneMatch?: string } = {},
  ): Promise<{ resource: Observation; created: boolean }> {
    const { patientId, content } = fromFhirObservation(resource);
    const { observation, created } = await this.byIdentifier.updateByIdentifier(
      identifier,
      patientId,
      content,
      {
        ifMatch: precondition.ifMatch,
        createOnly: precondition.ifNoneMatch?.trim() === '*',
      },
    );
    return { resource: toFhirObservation(observation), created };
  }

  /** If-Match, when sent, must name the current version; FHIR clients commonly delete without one. */
  delete(id: string, ifMatch: string | undefined): Promise<void> {
    return this.results.deleteObservation(id, ifMatch ?? '*');
  }

  /** With `_include=Observation:patient` (or `:subject`), each page's patients follow its Observations. */
  async search(base: string, query: Record<string, unknown>): Promise<Bundle> {
    const { asked, rest: unincluded } = takeInclude(query, '_include', OBSERVATION_INCLUDES);
    const { identifier, rest } = takePatientIdentifierChain(unincluded);
    const search = toObservationSearch(rest);
    const patientId = identifier === undefined ? search.patientId : await this.holderOf(identifier);
    if (patientId === null || (search.patientId !== undefined && search.patientId !== patientId))
      return searchsetBundle(base, 'Observation', query, [], undefined);
    const page = await this.results.searchObservations({ ...search, patientId });
    const matches = page.items.map(toFhirObservation);
    const patients = asked
      ? await includable(patientIdsOf(matches.map((match) => match.subject)), async (id) =>
          toFhirPatient(await this.patients.get(id)),
        )
      : [];
    return searchsetBundle(base, 'Observation', query, matches, page.next, patients);
  }

  /** The id of the patient holding `system|value` (a search, audited), or null when the caller sees none. */
  private async holderOf(identifier: string): Promise<string | null> {
    const found = await this.patients.search({ identifier, limit: 1 });
    return found.items[0]?.id ?? null;
  }
}
