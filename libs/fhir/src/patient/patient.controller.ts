import { Body, Headers, Param, Query } from '@nestjs/common';
import type { Bundle, Patient } from 'fhir/r4';
import { FhirInteraction, FhirResource } from '../capabilities';
import { FhirBaseUrl } from '../http/fhir-base-url.decorator';
import { PATIENT_SEARCH_PARAMS } from './patient-search';
import { PatientResourceService } from './patient-resource.service';

/** The FHIR R4 Patient endpoint: the same records as /api/v1/patients. */
@FhirResource('Patient')
export class FhirPatientController {
  constructor(private readonly patients: PatientResourceService) {}

  @FhirInteraction('Patient', 'read')
  read(@Param('id') id: string): Promise<Patient> {
    return this.patients.read(id);
  }

  @FhirInteraction('Patient', 'search-type', PATIENT_SEARCH_PARAMS)
  search(@FhirBaseUrl() base: string, @Query() query: Record<string, unknown>): Promise<Bundle> {
    return this.patients.search(base, query);
  }

  @FhirInteraction('Patient', 'create')
  create(@Body() resource: unknown): Promise<Patient> {
    return this.patients.create(resource);
  }

  @FhirInteraction('Patient', 'update')
  update(@Param('id') id: string, @Body() resource: unknown, @Headers('if-match') ifMatch?: string) {
    return this.patients.update(id, resource, ifMatch);
  }

  @FhirInteraction('Patient', 'delete')
  delete(@Param('id') id: string, @Headers('if-match') ifMatch?: string): Promise<void> {
    return this.patients.delete(id, ifMatch);
  }
}
