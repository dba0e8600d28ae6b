import { Body, Headers, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Bundle, Patient, OperationOutcome } from 'fhir/r4';
import { FhirInteraction, FhirOperation, FhirResource } from '../capabilities';
import { ResourceValidationService } from '../validate/resource-validation.service';
import { fromFhirPatient } from './patient.mapper';
import { FhirBaseUrl } from '../http/fhir-base-url.decorator';
import { handlingOf, ifNoneExistCriterion } from '../search/search-query';
import { PATIENT_SEARCH_PARAMS } from './patient-search';
import { PATIENT_REVINCLUDES, PatientResourceService } from './patient-resource.service';

/** The FHIR R4 Patient endpoint: the same records as /api/v1/patients. */
@FhirResource('Patient')
export class FhirPatientController {
  constructor(
    private readonly patients: PatientResourceService,
    private readonly validation: ResourceValidationService,
  ) {}

  @FhirInteraction('Patient', 'history-type')
  typeHistory(@FhirBaseUrl() base: string, @Query() query: Record<string, unknown>): Promise<Bundle> {
    return this.patients.history.ofType(base, query);
  }

  @FhirInteraction('Patient', 'vread')
  vread(@Param('id') id: string, @Param('vid') versionId: string) {
    return this.patients.history.vread(id, versionId);
  }

  @FhirInteraction('Patient', 'history-instance')
  instanceHistory(
    @FhirBaseUrl() base: string,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<Bundle> {
    return this.patients.history.ofRecord(base, id, query);
  }

  @FhirInteraction('Patient', 'read')
  read(@Param('id') id: string): Promise<Patient> {
    return this.patients.read(id);
  }

  @FhirInteraction('Patient', 'search-type', PATIENT_SEARCH_PARAMS, { revIncludes: PATIENT_REVINCLUDES })
  search(
    @FhirBaseUrl() base: string,
    @Query() query: Record<string, unknown>,
    @Headers('prefer') prefer?: string,
  ): Promise<Bundle> {
    return this.patients.search(base, query, handlingOf(prefer));
  }

  /** With `If-None-Exist: identifier=system|value`: 200 with the patient holding it, 201 when created. */
  @FhirInteraction('Patient', 'create', [], { conditional: true })
  async create(
    @Body() resource: unknown,
    @Res({ passthrough: true }) res: Response,
    @Headers('if-none-exist') ifNoneExist?: string,
  ): Promise<Patient> {
    if (ifNoneExist === undefined) return this.patients.create(resource);
    const { patient, created } = await this.patients.createIfNoneExist(
      resource,
      ifNoneExistCriterion(ifNoneExist),
    );
    res.status(created ? 201 : 200);
    return patient;
  }

  @FhirInteraction('Patient', 'update')
  update(@Param('id') id: string, @Body() resource: unknown, @Headers('if-match') ifMatch?: string) {
    return this.patients.update(id, resource, ifMatch);
  }

  @FhirInteraction('Patient', 'patch')
  patch(@Param('id') id: string, @Body() patch: unknown, @Headers('if-match') ifMatch?: string) {
    return this.patients.patch(id, patch, ifMatch);
  }

  @FhirInteraction('Patient', 'delete')
  delete(@Param('id') id: string, @Headers('if-match') ifMatch?: string): Promise<void> {
    return this.patients.delete(id, ifMatch);
  }

  /** `$validate`: the checks a create or update makes; nothing stored, 200 with the outcome. */
  @FhirOperation('Patient', 'validate')
  validate(@Body() body: unknown, @Query('mode') mode?: string): Promise<OperationOutcome> {
    return this.validation.validate('Patient', body, mode, fromFhirPatient);
  }
}
