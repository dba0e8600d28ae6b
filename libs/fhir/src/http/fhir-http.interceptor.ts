import {
  CallHandler,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Resource } from 'fhir/r4';
import { map, Observable } from 'rxjs';
import { JSON_PATCH } from '../patch/json-patch';
import { FHIR_JSON } from './operation-outcome';
import {
  elementsParam,
  ReturnPreference,
  returnPreference,
  withElements,
  writeOutcome,
} from './result-shaping';

const BODY_TYPES = [FHIR_JSON, 'application/json'];
const FORMATS = new Set(['json', FHIR_JSON, 'application/json']);

const WRITES = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The HTTP shape of the FHIR face: JSON only in (415 otherwise; JSON Patch for PATCH) and out (406
 * otherwise, `_format` honoured), `application/fhir+json` responses, `ETag`/`Last-Modified`/`Location`
 * from `meta`, `_elements` on what is read and `Prefer: return=` on what is written.
 */
@Injectable()
export class FhirHttpInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    requireJsonBody(req);
    requireJsonResponse(req);
    const elements = elementsParam(req.query._elements);
    const preference = WRITES.has(req.method) ? returnPreference(req.get('prefer')) : 'representation';
    res.type(FHIR_JSON);
    return next.handle().pipe(
      map((body: unknown) => {
        const written = withResourceHeaders(res, body);
        const shaped = elements ? withElements(written, elements) : written;
        return preferred(res, shaped, preference);
      }),
    );
  }
}

/** What a write answers with under `Prefer: return=`; only a resource written is replaced. */
function preferred(res: Response, body: unknown, preference: ReturnPreference): unknown {
  const resource = body as Resource | undefined;
  if (preference === 'representation' || !resource?.id || resource.resourceType === 'OperationOutcome')
    return body;
  if (preference === 'OperationOutcome') return writeOutcome(resource, res.statusCode);
  res.removeHeader('Content-Type');
  return undefined;
}

function requireJsonBody(req: Request): void {
  if (req.method === 'PATCH' && !req.is(JSON_PATCH)) {
    throw new HttpException(
      'A patch must be application/json-patch+json.',
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    );
  }
  if (req.method !== 'POST' && req.method !== 'PUT') return;
  if (!req.is(BODY_TYPES)) {
    throw new HttpException(
      'The body must be application/fhir+json or application/json.',
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    );
  }
}

function requireJsonResponse(req: Request): void {
  const format = req.query._format;
  const acceptable =
    format === undefined
      ? req.accepts(BODY_TYPES) !== false
      : typeof format === 'string' && FORMATS.has(format);
  if (!acceptable) {
    throw new HttpException('This server answers in application/fhir+json only.', HttpStatus.NOT_ACCEPTABLE);
  }
}

function withResourceHeaders(res: Response, body: unknown): unknown {
  const resource = body as {
    resourceType?: string;
    id?: string;
    meta?: { versionId?: string; lastUpdated?: string };
  };
  const version = resource?.meta?.versionId;
  if (version === undefined || resource.id === undefined) return body;
  res.setHeader('ETag', `W/"${version}"`);
  if (resource.meta?.lastUpdated)
    res.setHeader('Last-Modified', new Date(resource.meta.lastUpdated).toUTCString());
  if (res.statusCode === 201) {
    res.setHeader('Location', `/fhir/R4/${resource.resourceType}/${resource.id}/_history/${version}`);
  }
  return body;
}
