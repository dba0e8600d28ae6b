import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { AuditAction, AuditDraft, AuditLedgerService } from '@hdp/audit';
import { AppConfig, decodeCursor, encodeCursor, isRecordId } from '@hdp/platform';
import { requireIfMatch } from '../etag';
import { PatientAccessService } from '../patient-access.service';
import { PatientDeletionCascade } from '../patient-deletion-cascade';
import { PatientNotFoundError, VersionMismatchError } from '../patients.errors';
import { recordEvent } from '../record-event';
import { validateDto } from '../validate-dto';
import { ContentInspector } from './content-inspector';
import { PatientDocumentRecord } from './document.schema';
import { DocumentStorage } from './document-storage';
import { DocumentsRepository } from './documents.repository';
import { DocumentNotFoundError, UploadExpiredError } from './documents.errors';
import {
  DocumentListQueryDto,
  DocumentMetadataDto,
  DocumentPageDto,
  DocumentResponseDto,
} from './dto/document.dto';
import { MultipartUpload, readMultipartUpload } from './multipart-upload';

const DOCUMENT = 'DocumentReference';
const DEFAULT_LIMIT = 20;

/** A byte range of a document's content, resolved against its size. */
export interface ContentRange {
  readonly start: number;
  readonly end: number;
}

export interface DocumentContent {
  readonly document: DocumentResponseDto;
  readonly body: Readable;
}

/**
 * Patients' documents: metadata in the store, content in blob storage. Every upload, read, download, list and
 * delete is in the ledger; the patient's access rules apply.
 */
@Injectable()
export class DocumentsService implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly repository: DocumentsRepository,
    private readonly storage: DocumentStorage,
    private readonly access: PatientAccessService,
    private readonly ledger: AuditLedgerService,
    private readonly cascade: PatientDeletionCascade,
  ) {}

  /** A deleted patient's documents go with them: records at once, blobs now or, after a crash, by the sweep. */
  onModuleInit(): void {
    this.cascade.register(async (patientId) => {
      for (const document of await this.repository.markDeletedForPatient(patientId))
        await this.purge(document);
    });
  }

  /**
   * Streams an upload into a new blob. The record is reserved (pending) first and becomes the document only
   * when the content is committed, in the same update that holds its audit intent; anything that fails in
   * between removes what was written, and the sweep removes what a crash left.
   */
  upload(patientId: string, req: IncomingMessage): Promise<DocumentResponseDto> {
    const id = randomUUID();
    const event = { ...this.event(AuditAction.Create, patientId), resourceId: id, success: 201 };
    return this.ledger.change(event, async (draft) => {
      await this.access.requireLivePatient(patientId);
      const upload = await readMultipartUpload(req, this.config.DOCUMENTS_MAX_BYTES);
      try {
        const metadata = await validateDto(DocumentMetadataDto, upload.fields);
        const inspector = new ContentInspector(upload.declaredType, this.config.DOCUMENTS_MAX_BYTES);
        await this.repository.insertPending(id, patientId, { ...metadata }, upload.declaredType);
        const stored = await this.storeContent(id, upload, inspector, draft);
        return { value: toResponse(stored), settle: () => this.repository.intents.clearLater(id, draft) };
      } finally {
        upload.content.resume();
      }
    });
  }

  get(patientId: string, id: string): Promise<DocumentResponseDto> {
    return this.ledger.read(this.event(AuditAction.Read, patientId, id), async () =>
      toResponse(await this.findAccessible(patientId, id)),
    );
  }

  /** The content (or the byte range `range` picks from its size), audited before a byte is returned. */
  download(
    patientId: string,
    id: string,
    range?: (size: number) => ContentRange | undefined,
  ): Promise<DocumentContent & { range?: ContentRange }> {
    return this.ledger.read(this.event(AuditAction.Read, patientId, id), async () => {
      const document = await this.findAccessible(patientId, id);
      const wanted = range?.(document.size ?? 0);
      const blob = await this.storage.download(
        document.blobName,
        wanted?.start,
        wanted && wanted.end - wanted.start + 1,
      );
      return { document: toResponse(document), body: blob.readableStreamBody as Readable, range: wanted };
    });
  }

  /** A document by id alone (the FHIR face); outside the caller's compartment it does not exist. */
  async readById(id: string): Promise<DocumentResponseDto> {
    const found = isRecordId(id) ? await this.repository.findAvailableById(id) : null;
    return this.ledger.read(this.event(AuditAction.Read, found?.patientId, id), async () =>
      toResponse(await this.requireVisible(found)),
    );
  }

  /** The content of a document found by id alone (FHIR Binary), audited before a byte is returned. */
  async downloadById(id: string): Promise<DocumentContent> {
    const found = isRecordId(id) ? await this.repository.findAvailableById(id) : null;
    return this.ledger.read(this.event(AuditAction.Read, found?.patientId, id), async () => {
      const document = await this.requireVisible(found);
      const blob = await this.storage.download(document.blobName);
      return { document: toResponse(document), body: blob.readableStreamBody as Readable };
    });
  }

  /** A short-lived read-only link to the content in blob storage (DOCUMENTS_DOWNLOAD=sas), audited as a read. */
  downloadLink(
    patientId: string,
    id: string,
    fileName: (document: DocumentResponseDto) => string,
  ): Promise<string> {
    return this.ledger.read(this.event(AuditAction.Read, patientId, id), async () => {
      const document = await this.findAccessible(patientId, id);
      const ttl = this.config.DOCUMENTS_SAS_TTL_S;
      return this.storage.readUrl(document.blobName, ttl, fileName(toResponse(document)));
    });
  }

  list(patientId: string, query: DocumentListQueryDto): Promise<DocumentPageDto> {
    return this.ledger.read(
      this.event(AuditAction.Search, patientId),
      async () => {
        await this.access.requireLivePatient(patientId);
        const limit = query.limit ?? DEFAULT_LIMIT;
        const after = query.cursor ? decodeCursor(query.cursor, { at: 'number', id: 'string' }) : undefined;
        const found = await this.repository.list(
          patientId,
          limit + 1,
          after && { at: new Date(after.at), id: after.id },
        );
        const items = found.slice(0, limit);
        const last = items.at(-1);
        const next =
          found.length > limit && last
            ? encodeCursor({ at: last.createdAt.getTime(), id: last._id })
            : undefined;
        return { items: items.map(toResponse), next };
      },
      (page) => page.items.length,
    );
  }

  /** Removes the metadata now and the blob right after; the sweep finishes a deletion a crash interrupted. */
  delete(patientId: string, id: string, ifMatch?: string): Promise<void> {
    const event = { ...this.event(AuditAction.Delete, patientId, id), success: 204 };
    return this.ledger.change(event, async (draft) => {
      const current = await this.findAccessible(patientId, id);
      requireIfMatch(ifMatch, current.version);
      if (!(await this.repository.markDeleted(id, current.version, draft))) throw new VersionMismatchError();
      return {
        value: undefined,
        settle: async () => {
          this.repository.intents.clearLater(id, draft);
          // Left for the sweep if blob storage is down: the deletion itself is done and audited.
          await this.purge(current).catch(() => undefined);
        },
      };
    });
  }

  /** Removes a deleted document's blob, then records that nothing is left of it. */
  async purge(document: PatientDocumentRecord): Promise<void> {
    await this.storage.delete(document.blobName);
    await this.repository.markPurged(document._id);
  }

  /** Removes what an upload left when its process died before the content was committed. */
  async abandon(document: PatientDocumentRecord): Promise<void> {
    await this.storage.delete(document.blobName);
    await this.repository.remove(document._id);
  }

  private async storeContent(
    id: string,
    upload: MultipartUpload,
    inspector: ContentInspector,
    draft: AuditDraft,
  ): Promise<PatientDocumentRecord> {
    const blobName = `${id}/1`;
    try {
      const { content, finished } = upload;
      await Promise.all([pipeline(content, inspector), this.storage.upload(blobName, inspector), finished]);
      const { size, sha256, contentType } = inspector;
      const stored = await this.repository.markAvailable(
        id,
        { size, sha256, contentType: contentType! },
        draft,
      );
      // The sweep took the reservation of an upload that outlasted DOCUMENTS_SWEEP_AGE_MS.
      if (!stored) throw new UploadExpiredError();
      return stored;
    } catch (error) {
      inspector.destroy();
      await this.storage.delete(blobName).catch(() => undefined);
      await this.repository.remove(id);
      throw upload.failure() ?? error;
    }
  }

  private async findAccessible(patientId: string, id: string): Promise<PatientDocumentRecord> {
    await this.access.requireLivePatient(patientId);
    const document = isRecordId(id) ? await this.repository.findAvailable(patientId, id) : null;
    if (!document) throw new DocumentNotFoundError();
    return document;
  }

  private async requireVisible(found: PatientDocumentRecord | null): Promise<PatientDocumentRecord> {
    if (!found) throw new DocumentNotFoundError();
    await this.access.requireLivePatient(found.patientId).catch((error: unknown) => {
      throw error instanceof PatientNotFoundError ? new DocumentNotFoundError() : error;
    });
    return found;
  }

  private event(action: AuditAction, patientId: string | undefined, id?: string) {
    return recordEvent(action, DOCUMENT, patientId, id);
  }
}

function toResponse(document: PatientDocumentRecord): DocumentResponseDto {
  return {
    id: document._id,
    patientId: document.patientId,
    title: document.title,
    typeCode: document.typeCode,
    date: document.date,
    author: document.author,
    contentType: document.contentType,
    size: document.size ?? 0,
    sha256: document.sha256 ?? '',
    version: document.version,
    createdAt: document.createdAt.toISOString(),
  };
}
