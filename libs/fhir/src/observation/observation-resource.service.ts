import { Injectable } from '@nestjs/common';
import type { Bundle, Identifier, Observation } from 'fhir/r4';
import type { ObservationSearch } from '@hdp/patients';
import {
  effectiveRange,
  MeasurementsService,
  PatientsService,
  TestResultHistoryService,
  TestResultObservation,
  TestResultsByIdentifierService,
  TestResultsService,
  VersionMismatchError,
} from '@hdp/patients';
import { FhirValidationError } from '../fhir-validation';
import { ResourceHistory } from '../history/resource-history';
import { applyJsonPatch } from '../patch/json-patch';
import { takePatientIdentifierChain } from '../search/chains';
import { includable, patientIdsOf, takeInclude } from '../search/includes';
import { bundleTotal } from '../search/result-controls';
import { Handling } from '../search/search-query';
import { countBundle, searchsetBundle } from '../search/searchset';
import { toFhirPatient } from '../patient/patient.mapper';
import { mergePages } from './merged-pages';
import { toObservationSearch } from './observation-search';
import {
  asksForSurvey,
  requireReportedSupport,
  toFhirReportedObservation,
  toReportedSearch,
} from './reported-observations';
import { fromFhirObservation, ObservationInput, toFhirObservation } from './observation.mapper';

export const OBSERVATION_INCLUDES = ['Observation:patient', 'Observation:subject'];
const DEFAULT_COUNT = 20;

/**
 * FHIR Observation interactions over the test results: every one goes through TestResultsService, so it is
 * the same record as on the REST API, access-checked and audited the same way. Nothing is stored here.
 * Patient-reported Observations (MeasurementsService) are read by id, and searched only with category survey.
 */
@Injectable()
export class ObservationResourceService {
  /** vread and history, over the versions the patients lib keeps of every change. */
  readonly history: ResourceHistory<TestResultObservation>;

  constructor(
    private readonly results: TestResultsService,
    private readonly byIdentifier: TestResultsByIdentifierService,
    private readonly patients: PatientsService,
    private readonly reported: MeasurementsService,
    history: TestResultHistoryService,
  ) {
    this.history = new ResourceHistory('Observation', history, toFhirObservation);
  }

  async read(id: string): Promise<Observation> {
    if (await this.reported.holds(id))
      return toFhirReportedObservation(await this.reported.readObservation(id));
    return toFhirObservation(await this.results.readObservation(id));
  }

  /** `id`: assigned by the caller (a transaction, which must know it before the Observation exists). */
  async create(resource: unknown, id?: string): Promise<Observation> {
    const { patientId, content } = fromFhirObservation(resource);
    return toFhirObservation(await this.results.createObservation(patientId, content, id));
  }

  /**
   * Conditional create: the live Observation holding `criterion` when there is one (not created; 412 when
   * several do), else a new one. The criterion must be the resource's first identifier, which the store
   * keeps unique: of many parallel creates one wins, and the others answer with it.
   */
  async createIfNoneExist(
    resource: unknown,
    criterion: Identifier,
  ): Promise<{ resource: Observation; created: boolean }> {
    this.byIdentifier.requireAuthor();
    const { patientId, content } = fromFhirObservation(resource);
    const first = content.identifier?.[0];
    if (first?.system !== criterion.system || first?.value !== criterion.value)
      throw new FhirValidationError([
        { path: 'Observation.identifier[0]', message: 'must be the identifier named by If-None-Exist' },
      ]);
    const existing = await this.readByIdentifier(criterion);
    if (existing) return { resource: existing, created: false };
    try {
      const created = await this.byIdentifier.updateByIdentifier(criterion, patientId, content, {
        createOnly: true,
      });
      return { resource: toFhirObservation(created.observation), created: true };
    } catch (error) {
      const winner =
        error instanceof VersionMismatchError ? await this.readByIdentifier(criterion) : undefined;
      if (!winner) throw error;
      return { resource: winner, created: false };
    }
  }

  /** Versioned update: If-Match is required (428 without, 412 when stale); the body id must be the URL's. */
  async update(id: string, resource: unknown, ifMatch: string | undefined): Promise<Observation> {
    const { patientId, content } = inputOf(id, resource);
    return toFhirObservation(await this.results.updateObservation(id, patientId, content, ifMatch));
  }

  /**
   * JSON Patch of the Observation, validated like an update. If-Match, when sent, must name the current
   * version; without it the patch applies to the version it read (a concurrent change makes it a 412).
   */
  async patch(id: string, patch: unknown, ifMatch: string | undefined): Promise<Observation> {
    const patched = await this.results.changeObservation(
      id,
      (current) => Promise.resolve(inputOf(id, applyJsonPatch(toFhirObservation(current), patch))),
      ifMatch ?? '*',
    );
    return toFhirObservation(patched);
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

  /**
   * Sets an Observation back to `resource`, a past version of it (bringing it back when it is deleted): a
   * FHIR transaction undoing its update or deletion.
   */
  async restore(id: string, resource: Observation): Promise<Observation> {
    const { content } = fromFhirObservation(resource);
    return toFhirObservation(await this.results.restoreObservation(id, content));
  }

  /** If-Match, when sent, must name the current version; FHIR clients commonly delete without one. */
  delete(id: string, ifMatch: string | undefined): Promise<void> {
    return this.results.deleteObservation(id, ifMatch ?? '*');
  }

  /** With `_include=Observation:patient` (or `:subject`), each page's patients follow its Observations. */
  async search(base: string, query: Record<string, unknown>, handling?: Handling): Promise<Bundle> {
    const { asked, rest: unincluded } = takeInclude(query, '_include', OBSERVATION_INCLUDES);
    const { identifier, rest } = takePatientIdentifierChain(unincluded);
    const { search: parsed, ignored } = toObservationSearch(rest, handling);
    const patientId = identifier === undefined ? parsed.patientId : await this.holderOf(identifier);
    const { sort, total, countOnly, ...criteria } = { ...parsed, patientId };
    if (patientId === null || (parsed.patientId !== undefined && parsed.patientId !== patientId))
      return countOnly
        ? countBundle(base, 'Observation', query, 0, ignored)
        : searchsetBundle(base, 'Observation', query, [], undefined, [], {
            total: total === 'none' ? undefined : 0,
            ignored,
          });
    const search = { ...criteria, patientId };
    if (asksForSurvey(search)) requireReportedSupport(parsed);
    if (countOnly)
      return countBundle(base, 'Observation', query, await this.results.countObservations(search), ignored);
    const page = asksForSurvey(search)
      ? await this.searchWithReported(search)
      : await this.searchClinical({ ...search, sort, count: total === 'accurate' });
    const patients = asked
      ? await includable(patientIdsOf(page.items.map((match) => match.subject)), async (id) =>
          toFhirPatient(await this.patients.get(id)),
        )
      : [];
    return searchsetBundle(base, 'Observation', query, page.items, page.next, patients, {
      total: bundleTotal(total, page, search.cursor === undefined),
      ignored,
    });
  }

  /** The id of the patient holding `system|value` (a search, audited), or null when the caller sees none. */
  private async holderOf(identifier: string): Promise<string | null> {
    const found = await this.patients.search({ identifier, limit: 1 });
    return found.items[0]?.id ?? null;
  }

  private async searchClinical(search: ObservationSearch) {
    const page = await this.results.searchObservations(search);
    return { items: page.items.map(toFhirObservation), next: page.next, total: page.total };
  }

  /** Clinical and patient-reported survey Observations, merged newest first under one cursor. */
  private async searchWithReported(search: ObservationSearch) {
    const limit = search.limit ?? DEFAULT_COUNT;
    const reportedSearch = toReportedSearch(search);
    const [clinical, reported] = await Promise.all([
      this.results.searchObservations({ ...search, limit }),
      reportedSearch
        ? this.reported.searchObservations({ ...reportedSearch, limit })
        : { items: [], next: undefined },
    ]);
    return mergePages(
      [
        {
          items: clinical.items.map((item) => ({
            at: effectiveRange(item.observation)!.start,
            id: item.id,
            value: toFhirObservation(item),
          })),
          next: clinical.next,
        },
        {
          items: reported.items.map((item) => ({
            at: new Date(item.resource.effectiveDateTime!),
            id: item.id,
            value: toFhirReportedObservation(item),
          })),
          next: reported.next,
        },
      ],
      limit,
    );
  }
}

/** An Observation sent to `id`, validated; its id must be the URL's. */
function inputOf(id: string, resource: unknown): ObservationInput {
  const input = fromFhirObservation(resource);
  if ((resource as Observation).id !== id)
    throw new FhirValidationError([{ path: 'Observation.id', message: 'must equal the id in the URL' }]);
  return input;
}
