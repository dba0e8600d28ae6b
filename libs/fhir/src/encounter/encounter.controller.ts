import { Body, Headers, Param, Query } from '@nestjs/common';
import type { Bundle, Encounter } from 'fhir/r4';
import { FhirInteraction, FhirResource } from '../capabilities';
import { FhirBaseUrl } from '../http/fhir-base-url.decorator';
import { ENCOUNTER_SEARCH_PARAMS } from './encounter-search';
import { EncounterResourceService } from './encounter-resource.service';

const RESOURCE = 'Encounter';

/** The FHIR R4 Encounter endpoint: a patient's visits, which results (and device readings) hang off. */
@FhirResource(RESOURCE)
export class FhirEncounterController {
  constructor(private readonly encounters: EncounterResourceService) {}

  @FhirInteraction(RESOURCE, 'read')
  read(@Param('id') id: string): Promise<Encounter> {
    return this.encounters.read(id);
  }

  @FhirInteraction(RESOURCE, 'search-type', ENCOUNTER_SEARCH_PARAMS)
  search(@FhirBaseUrl() base: string, @Query() query: Record<string, unknown>): Promise<Bundle> {
    return this.encounters.search(base, query);
  }

  @FhirInteraction(RESOURCE, 'create')
  create(@Body() resource: unknown): Promise<Encounter> {
    return this.encounters.create(resource);
  }

  @FhirInteraction(RESOURCE, 'update')
  update(@Param('id') id: string, @Body() resource: unknown, @Headers('if-match') ifMatch?: string) {
    return this.encounters.update(id, resource, ifMatch);
  }
}
