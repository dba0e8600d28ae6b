import { Injectable } from '@nestjs/common';
import type { Bundle, Encounter } from 'fhir/r4';
import { EncountersService } from '@hdp/patients';
import { FhirValidationError } from '../fhir-validation';
import { searchsetBundle } from '../search/searchset';
import { toEncounterSearch } from './encounter-search';
import { fromFhirEncounter, toFhirEncounter } from './encounter.mapper';

/**
 * FHIR Encounter interactions over the encounter records: every one goes through EncountersService, so it
 * is access-checked and audited there. Nothing is stored here. The device pipeline's `LookupWithEncounter`
 * resolves encounters through `findByIdentifier`.
 */
@Injectable()
export class EncounterResourceService {
  constructor(private readonly encounters: EncountersService) {}

  async read(id: string): Promise<Encounter> {
    return toFhirEncounter(await this.encounters.read(id));
  }

  async create(resource: unknown): Promise<Encounter> {
    const { patientId, content } = fromFhirEncounter(resource);
    return toFhirEncounter(await this.encounters.create(patientId, content));
  }

  /** Versioned update: If-Match is required (428 without, 412 when stale); the body id must be the URL's. */
  async update(id: string, resource: unknown, ifMatch: string | undefined): Promise<Encounter> {
    const { patientId, content } = fromFhirEncounter(resource);
    if ((resource as Encounter).id !== id)
      throw new FhirValidationError([{ path: 'Encounter.id', message: 'must equal the id in the URL' }]);
    return toFhirEncounter(await this.encounters.update(id, patientId, content, ifMatch));
  }

  async search(base: string, query: Record<string, unknown>): Promise<Bundle> {
    const page = await this.encounters.search(toEncounterSearch(query));
    return searchsetBundle(base, 'Encounter', query, page.items.map(toFhirEncounter), page.next);
  }

  /** The Encounter with this identifier (its patient in `subject`), or undefined; 412 when several hold it. */
  async findByIdentifier(system: string, value: string): Promise<Encounter | undefined> {
    const found = await this.encounters.findByIdentifier({ system, value });
    return found && toFhirEncounter(found);
  }
}
