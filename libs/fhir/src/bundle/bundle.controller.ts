import { Body, Controller, HttpCode, Post, UseFilters, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Bundle } from 'fhir/r4';
import { AuditedResource } from '@hdp/audit';
import { AnyAuthenticated } from '@hdp/platform';
import { FHIR_BASE, FhirSystemInteraction } from '../capabilities';
import { FhirBaseUrl } from '../http/fhir-base-url.decorator';
import { FhirExceptionFilter } from '../http/fhir-exception.filter';
import { FhirHttpInterceptor } from '../http/fhir-http.interceptor';
import { FhirBundleService } from './fhir-bundle.service';

/**
 * `POST /fhir/R4` with a `batch` or `transaction` Bundle. Open to any authenticated caller: each entry then
 * needs the SMART scope of its own type and interaction, and is access-checked and audited as that single
 * interaction. A request refused before any entry runs (401, 400 on the body) is in the ledger as a
 * `Bundle` create.
 */
@ApiTags('fhir')
@AuditedResource('Bundle')
@UseFilters(FhirExceptionFilter)
@UseInterceptors(FhirHttpInterceptor)
@Controller(FHIR_BASE)
export class FhirBundleController {
  constructor(private readonly bundles: FhirBundleService) {}

  @Post()
  @HttpCode(200)
  @AnyAuthenticated()
  @FhirSystemInteraction('batch', 'transaction')
  process(@FhirBaseUrl() base: string, @Body() bundle: unknown): Promise<Bundle> {
    return this.bundles.process(base, bundle);
  }
}
