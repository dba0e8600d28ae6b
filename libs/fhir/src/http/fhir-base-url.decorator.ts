import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { PUBLIC_BASE_URL_SETTING } from '@hdp/platform';
import { FHIR_BASE } from '../capabilities';

/**
 * The absolute base URL of the FHIR face (`https://host/fhir/R4`), for Bundle links and fullUrls: from the
 * configured PUBLIC_BASE_URL, never from the request's Host or X-Forwarded-* headers, which a caller writes.
 */
export const FhirBaseUrl = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const req = context.switchToHttp().getRequest<Request>();
  return `${String(req.app.get(PUBLIC_BASE_URL_SETTING))}/${FHIR_BASE}`;
});
