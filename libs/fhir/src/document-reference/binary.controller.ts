import { Controller, Param, Res, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { AuditedResource } from '@hdp/audit';
import { DocumentsService } from '@hdp/patients';
import { FHIR_BASE, FhirInteraction } from '../capabilities';
import { FhirExceptionFilter } from '../http/fhir-exception.filter';

/**
 * `GET /fhir/R4/Binary/{id}`: a document's content in its own type, streamed (the Binary's native form),
 * whatever `Accept` says: it is never inlined as base64 in a Binary resource, which would hold a 50 MB image
 * whole in memory.
 */
@ApiTags('fhir')
@AuditedResource('DocumentReference')
@UseFilters(FhirExceptionFilter)
@Controller(`${FHIR_BASE}/Binary`)
export class FhirBinaryController {
  constructor(private readonly documents: DocumentsService) {}

  @FhirInteraction('Binary', 'read')
  async read(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const { document, body } = await this.documents.downloadById(id);
    res.status(200);
    res.setHeader('Content-Type', document.contentType);
    res.setHeader('Content-Length', document.size);
    res.setHeader('ETag', `W/"${document.version}"`);
    res.setHeader('Cache-Control', 'no-store');
    await pipeline(body, res).catch(() => res.destroy());
  }
}
