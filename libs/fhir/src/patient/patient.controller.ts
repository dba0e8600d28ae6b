import { Body, Headers, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Bundle, Patient, OperationOutcome } from 'fhir/r4';
import { FhirInteraction, FhirOperation, FhirResource } from '../capabilities';
import { ResourceValidationService } from '../validate/resource-validation.service';
import { fromFhirPatient } from './patient.mapper';
import { FhirBaseUrl } from '../http/fhir-base-url.decorator';
import { identifierCriterion } from '../search/search-query';
import { PATIENT_SEARCH_PARAMS } from './patient-search';
import { PATIENT_REVINCLUDES, PatientResourceService } from './patient-resource.service';

/** The FHIR R4 Patient endpoint: the same records as /api/v1/patients. */
@FhirResource('Patient')
export class FhirPatientController {
  constructor(
    private readonly patients: PatientResourceService,
    private readonly validation: ResourceValidationService,
  ) {}

  @FhirInteraction('Patient', 'read')
  read(@Param('id') id: string): Promise<Patient> {
    return this.patients.read(id);
  }

  @FhirInteraction('Patient', 'search-type', PATIENT_SEARCH_PARAMS, { revIncludes: PATIENT_REVINCLUDES })
  search(@FhirBaseUrl() base: string, @Query() query: Record<string, unknown>): Promise<Bundle> {
    return this.patients.search(base, query);
  }

  /** With `If-None-Exist: identifier=system|value`: 200 with the patient holding it, 201 when created. */
  @FhirInteraction('Patient', 'create', [], { conditional: true })
  async create(
    @Body() resource: unknown,
    @Res({ passthrough: true }) res: Response,
    @Headers('if-none-exist') ifNoneExist?: string,
  ): Promise<Patient> {
    if (ifNoneExist === undefined) return this.patients.create(resource);
    const criterion = identifierCriterion(Object.fromEntries(new URLSearchParams(ifNoneExist)));
    const { patient, created } = await this.patients.createIfNoneExist(resource, criterion);
    res.status(created ? 201 : 200);
    return patient;
  }

  @FhirInteraction('Patient', 'update')
  update(@Param('id') id: string, @Body() resource: unknown, @Headers('if-match') ifMatch?: string) {
    return this.patients.update(id, resource, ifMatch);
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
