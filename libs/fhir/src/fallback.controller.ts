import { All, Controller, NotFoundException, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@hdp/platform';
import { FHIR_BASE } from './capabilities';
import { FhirExceptionFilter } from './http/fhir-exception.filter';

export const NO_ROUTE = 'This server does not support this interaction; see /fhir/R4/metadata.';

/** Anything under /fhir/R4 no FHIR route serves: a 404 OperationOutcome, not the REST problem body. Registered last. */
@ApiExcludeController()
@UseFilters(FhirExceptionFilter)
@Controller(FHIR_BASE)
export class FhirFallbackController {
  @Public()
  @All('*path')
  unsupported(): never {
    throw new NotFoundException(NO_ROUTE);
  }
}
