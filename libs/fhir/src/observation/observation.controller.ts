import { Body, Headers, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Bundle, Observation, OperationOutcome } from 'fhir/r4';
import { FhirInteraction, FhirOperation, FhirResource } from '../capabilities';
import { ResourceValidationService } from '../validate/resource-validation.service';
import { fromFhirObservation } from './observation.mapper';
import { FhirBaseUrl } from '../http/fhir-base-url.decorator';
import { OBSERVATION_SEARCH_PARAMS } from './observation-search';
import { handlingOf, identifierCriterion, ifNoneExistCriterion } from '../search/search-query';
import { OBSERVATION_INCLUDES, ObservationResourceService } from './observation-resource.service';

const RESOURCE = 'Observation';

/** The FHIR R4 Observation endpoint: the same test results as /api/v1/patients/{id}/test-results. */
@FhirResource(RESOURCE, { auditedAs: 'TestResult' })
export class FhirObservationController {
  constructor(
    private readonly observations: ObservationResourceService,
    private readonly validation: ResourceValidationService,
  ) {}

  @FhirInteraction(RESOURCE, 'history-type')
  typeHistory(@FhirBaseUrl() base: string, @Query() query: Record<string, unknown>): Promise<Bundle> {
    return this.observations.history.ofType(base, query);
  }

  @FhirInteraction(RESOURCE, 'vread')
  vread(@Param('id') id: string, @Param('vid') versionId: string) {
    return this.observations.history.vread(id, versionId);
  }

  @FhirInteraction(RESOURCE, 'history-instance')
  instanceHistory(
    @FhirBaseUrl() base: string,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<Bundle> {
    return this.observations.history.ofRecord(base, id, query);
  }

  @FhirInteraction(RESOURCE, 'read')
  read(@Param('id') id: string): Promise<Observation> {
    return this.observations.read(id);
  }

  @FhirInteraction(RESOURCE, 'search-type', OBSERVATION_SEARCH_PARAMS, { includes: OBSERVATION_INCLUDES })
  search(
    @FhirBaseUrl() base: string,
    @Query() query: Record<string, unknown>,
    @Headers('prefer') prefer?: string,
  ): Promise<Bundle> {
    return this.observations.search(base, query, handlingOf(prefer));
  }

  /** With `If-None-Exist: identifier=system|value`: 200 with the Observation holding it, 201 when created. */
  @FhirInteraction(RESOURCE, 'create', [], { conditional: true })
  async create(
    @Body() resource: unknown,
    @Res({ passthrough: true }) res: Response,
    @Headers('if-none-exist') ifNoneExist?: string,
  ): Promise<Observation> {
    if (ifNoneExist === undefined) return this.observations.create(resource);
    const result = await this.observations.createIfNoneExist(resource, ifNoneExistCriterion(ifNoneExist));
    res.status(result.created ? 201 : 200);
    return result.resource;
  }

  @FhirInteraction(RESOURCE, 'update')
  update(@Param('id') id: string, @Body() resource: unknown, @Headers('if-match') ifMatch?: string) {
    return this.observations.update(id, resource, ifMatch);
  }

  /** `PUT /Observation?identifier=system|value`: 201 when it created the Observation, 200 when it updated one. */
  @FhirInteraction(RESOURCE, 'conditional-update')
  async updateByIdentifier(
    @Query() query: Record<string, unknown>,
    @Body() resource: unknown,
    @Res({ passthrough: true }) res: Response,
    @Headers('if-match') ifMatch?: string,
    @Headers('if-none-match') ifNoneMatch?: string,
  ): Promise<Observation> {
    const criterion = identifierCriterion(query);
    const result = await this.observations.updateByIdentifier(criterion, resource, { ifMatch, ifNoneMatch });
    res.status(result.created ? 201 : 200);
    return result.resource;
  }

  @FhirInteraction(RESOURCE, 'patch')
  patch(@Param('id') id: string, @Body() patch: unknown, @Headers('if-match') ifMatch?: string) {
    return this.observations.patch(id, patch, ifMatch);
  }

  @FhirInteraction(RESOURCE, 'delete')
  delete(@Param('id') id: string, @Headers('if-match') ifMatch?: string): Promise<void> {
    return this.observations.delete(id, ifMatch);
  }

  /** `$validate`: the checks a create or update makes; nothing stored, 200 with the outcome. */
  @FhirOperation(RESOURCE, 'validate')
  validate(@Body() body: unknown, @Query('mode') mode?: string): Promise<OperationOutcome> {
    return this.validation.validate(RESOURCE, body, mode, fromFhirObservation);
  }
}
