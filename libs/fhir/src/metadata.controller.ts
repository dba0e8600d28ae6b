import { Controller, Get, UseFilters, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { CapabilityStatement } from 'fhir/r4';
import { Public } from '@hdp/platform';
import { capabilityStatement, FHIR_BASE } from './capabilities';
import { FhirExceptionFilter } from './http/fhir-exception.filter';
import { FhirHttpInterceptor } from './http/fhir-http.interceptor';

const STARTED = new Date().toISOString();

/** `GET /fhir/R4/metadata`: what this server supports, generated from the declared interactions. */
@ApiTags('fhir')
@UseFilters(FhirExceptionFilter)
@UseInterceptors(FhirHttpInterceptor)
@Controller(FHIR_BASE)
export class FhirMetadataController {
  @Public()
  @Get('metadata')
  metadata(): CapabilityStatement {
    return capabilityStatement(STARTED);
  }
}
