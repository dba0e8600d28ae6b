import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Identifier } from 'fhir/r4';
import { AuditAction, AuditDraft, AuditLedgerService } from '@hdp/audit';
import { isRecordId } from '@hdp/platform';
import { requireIfMatch } from '../etag';
import { readIdPage } from '../id-page';
import { PatientAccessService } from '../patient-access.service';
import { PatientNotFoundError, VersionMismatchError } from '../patients.errors';
import { recordEvent } from '../record-event';
import { identifierKeyOf } from '../test-results.keys';
import { EncounterContent, EncounterRecord } from './encounter.keys';
import { EncounterDocument } from './encounter.schema';
import {
  AmbiguousEncounterIdentifierError,
  EncounterNotFoundError,
  EncounterSubjectChangedError,
  UnknownEncounterPatientError,
} from './encounters.errors';
import { EncounterFilter, EncountersRepository } from './encounters.repository';

const ENCOUNTER = 'Encounter';

/** An encounter search: the filter, a page size and the previous page's cursor. */
export interface EncounterSearch extends Omit<EncounterFilter, 'afterId'> {
  readonly limit?: number;
  readonly cursor?: string;
}

/**
 * Encounters, each one FHIR Encounter of one patient (`Encounter.subject`), following that patient's access
 * rules. Every interaction is audited; an encounter stays with the patient it was recorded for.
 */
@Injectable()
export class EncountersService {
  constructor(
    private readonly repository: EncountersRepository,
    private readonly access: PatientAccessService,
    private readonly ledger: AuditLedgerService,
  ) {}

  async read(id: string): Promise<EncounterRecord> {
    const found = isRecordId(id) ? await this.repository.findById(id) : null;
    return this.ledger.read(this.event(AuditAction.Read, found?.patientId, id), () =>
      Promise.resolve(toEncounterRecord(this.requireVisible(found))),
    );
  }

  /** Records an Encounter of `patientId`, a live patient the caller may see (else 422). */
  create(patientId: string, encounter: EncounterContent): Promise<EncounterRecord> {
    const id = randomUUID();
    const event = { ...this.event(AuditAction.Create, patientId), resourceId: id, success: 201 };
    return this.ledger.change(event, async (draft) => {
      await this.requirePatient(patientId);
      return this.written(await this.repository.insert(id, patientId, encounter, draft), draft);
    });
  }

  /** Versioned replace of the whole Encounter; its patient stays the same (409 otherwise). */
  async update(id: string, patientId: string, encounter: EncounterContent, ifMatch?: string) {
    const found = isRecordId(id) ? await this.repository.findById(id) : null;
    return this.ledger.change(
      this.event(AuditAction.Update, found?.patientId ?? patientId, id),
      async (draft) => {
        const current = this.requireVisible(found);
        requireIfMatch(ifMatch, current.version);
        if (current.patientId !== patientId) throw new EncounterSubjectChangedError();
        await this.requirePatient(patientId);
        return this.written(await this.repository.replace(id, current.version, encounter, draft), draft);
      },
    );
  }

  /** Encounters in id order (only the caller's patient's when confined to a compartment). */
  search(search: EncounterSearch) {
    return this.ledger.read(
      this.event(AuditAction.Search, search.patientId),
      async () => {
        const patientId = this.access.searchablePatient(search.patientId);
        if (patientId === null) return { items: [] as EncounterRecord[], next: undefined };
        const page = await readIdPage(search, (afterId, size) =>
          this.repository.search({ ...search, patientId, afterId }, size),
        );
        return { items: page.items.map(toEncounterRecord), next: page.next };
      },
      (page) => page.items.length,
    );
  }

  /** The encounter holding `identifier` (system and value), undefined when none does; 412 when several do. */
  async findByIdentifier(identifier: Identifier): Promise<EncounterRecord | undefined> {
    const matches = await this.repository.search({ identifierKeys: [identifierKeyOf(identifier)] }, 2);
    if (matches.length > 1) throw new AmbiguousEncounterIdentifierError();
    if (matches.length === 0) return undefined;
    const [found] = matches;
    return this.ledger.read(this.event(AuditAction.Read, found.patientId, found._id), () =>
      Promise.resolve(toEncounterRecord(this.requireVisible(found))),
    );
  }

  private written(document: EncounterDocument | null, draft: AuditDraft) {
    if (!document) throw new VersionMismatchError();
    const settle = () => this.repository.intents.clearLater(document._id, draft);
    return { value: toEncounterRecord(document), settle };
  }

  private async requirePatient(patientId: string): Promise<void> {
    try {
      await this.access.requireLivePatient(patientId);
    } catch (error) {
      throw error instanceof PatientNotFoundError ? new UnknownEncounterPatientError() : error;
    }
  }

  /** Found and visible to the caller (their compartment's, or they have none); else "not found". */
  private requireVisible(found: EncounterDocument | null): EncounterDocument {
    if (!found) throw new EncounterNotFoundError();
    const compartment = this.access.compartmentOf(this.access.requirePatientDataAccess());
    if (compartment !== undefined && found.patientId !== compartment) throw new EncounterNotFoundError();
    return found;
  }

  private event(action: AuditAction, patientId: string | undefined, id?: string) {
    return recordEvent(action, ENCOUNTER, patientId, id);
  }
}

function toEncounterRecord(document: EncounterDocument): EncounterRecord {
  return {
    id: document._id,
    patientId: document.patientId,
    version: document.version,
    updatedAt: document.updatedAt.toISOString(),
    encounter: document.encounter,
  };
}
