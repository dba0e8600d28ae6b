import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { FHIR_BASE } from '../capabilities';

/** The absolute base URL of the FHIR face as the caller reached it (`https://host/fhir/R4`), for Bundle links. */
export const FhirBaseUrl = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const req = context.switchToHttp().getRequest<Request>();
  return `${req.protocol}://${req.get('host') ?? 'localhost'}/${FHIR_BASE}`;
});
