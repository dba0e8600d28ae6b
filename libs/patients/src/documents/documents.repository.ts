import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AuditDraft } from '@hdp/audit';
import type { Model } from 'mongoose';
import { AuditIntents } from '../audit-intents';
import { PatientDocumentRecord } from './document.schema';

export type DocumentMetadata = Pick<PatientDocumentRecord, 'title' | 'typeCode' | 'date' | 'author'>;

const HIDE_OUTBOX = { auditOutbox: 0 };

/** The only code that touches the patient_documents collection. */
@Injectable()
export class DocumentsRepository {
  readonly intents: AuditIntents<PatientDocumentRecord>;

  constructor(
    @InjectModel(PatientDocumentRecord.name) private readonly documents: Model<PatientDocumentRecord>,
  ) {
    this.intents = new AuditIntents(documents);
  }

  /** Reserves the record before its content is uploaded, so a crash mid-upload leaves a findable trace. */
  async insertPending(id: string, patientId: string, metadata: DocumentMetadata, contentType: string) {
    const now = new Date();
    await this.documents.create({
      _id: id,
      patientId,
      state: 'pending',
      ...metadata,
      contentType,
      blobName: `${id}/1`,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
  }

  /** The upload is complete: the document exists from here on, with the intent of its audit entry. */
  async markAvailable(
    id: string,
    content: { size: number; sha256: string; contentType: string },
    draft: AuditDraft,
  ) {
    return this.documents
      .findOneAndUpdate(
        { _id: id, state: 'pending' },
        { $set: { state: 'available', ...content, updatedAt: new Date() }, $push: { auditOutbox: draft } },
        { new: true },
      )
      .lean<PatientDocumentRecord>();
  }

  async remove(id: string): Promise<void> {
    await this.documents.deleteOne({ _id: id, state: 'pending' });
  }

  async findAvailable(patientId: string, id: string) {
    return this.documents
      .findOne({ _id: id, patientId, state: 'available' }, HIDE_OUTBOX)
      .lean<PatientDocumentRecord>();
  }

  async findAvailableById(id: string) {
    return this.documents.findOne({ _id: id, state: 'available' }, HIDE_OUTBOX).lean<PatientDocumentRecord>();
  }

  /** Newest first; `after` is the last record of the previous page. */
  async list(patientId: string, limit: number, after?: { at: Date; id: string }) {
    const page = after
      ? { $or: [{ createdAt: { $lt: after.at } }, { createdAt: after.at, _id: { $lt: after.id } }] }
      : {};
    return this.documents
      .find({ patientId, state: 'available', ...page }, HIDE_OUTBOX)
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean<PatientDocumentRecord[]>();
  }

  async markDeleted(id: string, version: number, draft: AuditDraft) {
    return this.documents
      .findOneAndUpdate(
        { _id: id, version, state: 'available' },
        {
          $set: { state: 'deleted', purged: false, version: version + 1, updatedAt: new Date() },
          $push: { auditOutbox: draft },
        },
        { new: true },
      )
      .lean<PatientDocumentRecord>();
  }

  async markPurged(id: string): Promise<void> {
    await this.documents.updateOne({ _id: id, state: 'deleted' }, { $set: { purged: true } });
  }

  /** A deleted patient's documents, marked deleted; returns them for their blobs to be removed. */
  async markDeletedForPatient(patientId: string): Promise<PatientDocumentRecord[]> {
    const live = await this.documents
      .find({ patientId, state: 'available' }, HIDE_OUTBOX)
      .lean<PatientDocumentRecord[]>();
    await this.documents.updateMany(
      { patientId, state: 'available' },
      { $set: { state: 'deleted', purged: false, updatedAt: new Date() } },
    );
    return live;
  }

  /** Uploads abandoned before `before` and deletions whose blob is still there: what the sweep cleans. */
  async leftovers(before: Date, limit: number) {
    const [pending, unpurged] = await Promise.all([
      this.documents
        .find({ state: 'pending', updatedAt: { $lt: before } }, HIDE_OUTBOX)
        .limit(limit)
        .lean<PatientDocumentRecord[]>(),
      this.documents
        .find({ state: 'deleted', purged: false, updatedAt: { $lt: before } }, HIDE_OUTBOX)
        .limit(limit)
        .lean<PatientDocumentRecord[]>(),
    ]);
    return { pending, unpurged };
  }
}
