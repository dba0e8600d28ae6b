import {
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { AuditedResource } from '@hdp/audit';
import { AppConfig, RequireScope } from '@hdp/platform';
import { ResourceHeadersInterceptor } from '../http/resource-headers.interceptor';
import { ALLOWED_CONTENT_TYPES } from './content-type';
import { DocumentsService } from './documents.service';
import { DocumentListQueryDto, DocumentPageDto, DocumentResponseDto } from './dto/document.dto';
import { rangeOf } from './http-range';
import { IF_MATCH_HEADER } from '../http/if-match-header';

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'application/dicom': 'dcm',
  'text/plain': 'txt',
};

@ApiTags('documents')
@AuditedResource('DocumentReference', { resourceIdParam: 'documentId', patientIdParam: 'id' })
@Controller('api/v1/patients/:id/documents')
export class DocumentsController {
  constructor(
    private readonly documents: DocumentsService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @RequireScope('DocumentReference', 'create')
  @UseInterceptors(ResourceHeadersInterceptor)
  @ApiOperation({
    summary:
      'Upload a document (streamed): multipart fields title, typeCode, date, author, then the file part content',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['title', 'content'],
      properties: {
        title: { type: 'string', example: 'Discharge summary' },
        typeCode: { type: 'string', example: '18842-5' },
        date: { type: 'string', example: '2026-11-02' },
        author: { type: 'string' },
        content: { type: 'string', format: 'binary', description: ALLOWED_CONTENT_TYPES.join(', ') },
      },
    },
  })
  @ApiCreatedResponse({ type: DocumentResponseDto })
  upload(@Param('id') id: string, @Req() req: Request): Promise<DocumentResponseDto> {
    return this.documents.upload(id, req);
  }

  @Get()
  @RequireScope('DocumentReference', 'search')
  @ApiOperation({ summary: "List a patient's documents, newest first" })
  @ApiOkResponse({ type: DocumentPageDto })
  list(@Param('id') id: string, @Query() query: DocumentListQueryDto): Promise<DocumentPageDto> {
    return this.documents.list(id, query);
  }

  @Get(':documentId')
  @RequireScope('DocumentReference', 'read')
  @UseInterceptors(ResourceHeadersInterceptor)
  @ApiOperation({ summary: "Read a document's metadata" })
  @ApiOkResponse({ type: DocumentResponseDto })
  get(@Param('id') id: string, @Param('documentId') documentId: string): Promise<DocumentResponseDto> {
    return this.documents.get(id, documentId);
  }

  @Get(':documentId/content')
  @RequireScope('DocumentReference', 'read')
  @ApiOperation({
    summary:
      "Download a document's content; `Range: bytes=` gives 206 with that part. With DOCUMENTS_DOWNLOAD=sas: " +
      'a 303 to a read-only SAS URL of that one blob, valid DOCUMENTS_SAS_TTL_S seconds',
  })
  @ApiProduces(...ALLOWED_CONTENT_TYPES)
  @ApiOkResponse({ description: 'The content' })
  async download(
    @Param('id') id: string,
    @Param('documentId') documentId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    if (this.config.DOCUMENTS_DOWNLOAD === 'sas') {
      const url = await this.documents.downloadLink(id, documentId, fileNameOf);
      res.status(303).setHeader('Cache-Control', 'no-store').setHeader('Location', url).end();
      return;
    }
    const { document, body, range } = await this.documents.download(id, documentId, (size) =>
      rangeOf(req, size),
    );
    res.status(range ? 206 : 200);
    res.setHeader('Content-Type', document.contentType);
    res.setHeader('Content-Length', range ? range.end - range.start + 1 : document.size);
    res.setHeader('ETag', `"${document.sha256}"`);
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Content-Disposition', `attachment; filename="${fileNameOf(document)}"`);
    res.setHeader('Cache-Control', 'no-store');
    if (range) res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${document.size}`);
    await pipeline(body, res).catch(() => res.destroy());
  }

  @Delete(':documentId')
  @RequireScope('DocumentReference', 'delete')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a document: its metadata and its content' })
  @ApiHeader(IF_MATCH_HEADER)
  @ApiNoContentResponse({ description: 'Deleted' })
  delete(
    @Param('id') id: string,
    @Param('documentId') documentId: string,
    @Headers('if-match') ifMatch?: string,
  ): Promise<void> {
    return this.documents.delete(id, documentId, ifMatch);
  }
}

/** A file name that says nothing about the patient or the document's contents. */
function fileNameOf(document: DocumentResponseDto): string {
  return `document-${document.id}.${EXTENSIONS[document.contentType]}`;
}
