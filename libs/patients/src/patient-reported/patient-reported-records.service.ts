import { randomUUID } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { AuditAction, AuditLedgerService } from '@hdp/audit';
import { decodeCursor, encodeCursor, isRecordId, Role } from '@hdp/platform';
import { AuditRecoveryService } from '../audit-recovery.service';
import { PatientAccessService } from '../patient-access.service';
import { PatientDeletionCascade } from '../patient-deletion-cascade';
import { PatientNotFoundError } from '../patients.errors';
import { recordEvent } from '../record-event';
import { PatientReportedNotFoundError, ReporterRequiredError } from './patient-reported.errors';
import { NewReportedRecord, PatientReportedRepository, ReportedFilter } from './patient-reported.repository';
import { PatientReportedRecord, ReportedKind } from './patient-reported.schema';

/** The ledger's name for each kind: patient-reported Observations are kept apart from clinical TestResults. */
export const AUDITED_AS: Record<ReportedKind, string> = {
  Observation: 'PatientReportedObservation',
  MedicationStatement: 'MedicationStatement',
};
const DEFAULT_LIMIT = 20;

/** A search over one kind of patient-reported record: the filter, a page size and the previous page's cursor. */
export interface ReportedSearch extends Omit<ReportedFilter, 'kind' | 'after'> {
  readonly limit?: number;
  readonly cursor?: string;
}

export interface ReportedPage {
  readonly items: PatientReportedRecord[];
  readonly next?: string;
}

/**
 * The rules every patient-reported record follows, whatever its kind: only the patient records their own;
 * anyone who may see the patient (the patient, their clinicians) reads them; every interaction is audited.
 */
@Injectable()
export class PatientReportedRecordsService implements OnModuleInit {
  constructor(
    private readonly repository: PatientReportedRepository,
    private readonly access: PatientAccessService,
    private readonly ledger: AuditLedgerService,
    private readonly cascade: PatientDeletionCascade,
    private readonly recovery: AuditRecoveryService,
  ) {}

  onModuleInit(): void {
    this.recovery.register(this.repository.intents);
    this.cascade.register((patientId) => this.repository.markDeletedForPatient(patientId));
  }

  /** Stores what `build` makes of the report (it may throw 400s) once the caller is known to be the patient. */
  record(kind: ReportedKind, patientId: string, build: () => NewReportedRecord) {
    const id = randomUUID();
    const event = { ...this.event(AuditAction.Create, kind, patientId), resourceId: id, success: 201 };
    return this.ledger.change(event, async (draft) => {
      await this.requireReporter(patientId);
      const created = await this.repository.insert(id, patientId, build(), draft);
      return { value: created, settle: () => this.repository.intents.clearLater(id, draft) };
    });
  }

  get(kind: ReportedKind, patientId: string, id: string): Promise<PatientReportedRecord> {
    return this.ledger.read(this.event(AuditAction.Read, kind, patientId, id), async () => {
      await this.access.requireLivePatient(patientId);
      const found = isRecordId(id) ? await this.repository.findLive(kind, id) : null;
      if (found?.patientId !== patientId) throw new PatientReportedNotFoundError();
      return found;
    });
  }

  /** A record by id alone (the FHIR face); outside the caller's compartment it does not exist. */
  async readById(kind: ReportedKind, id: string): Promise<PatientReportedRecord> {
    const found = isRecordId(id) ? await this.repository.findLive(kind, id) : null;
    return this.ledger.read(this.event(AuditAction.Read, kind, found?.patientId, id), async () => {
      if (!found) throw new PatientReportedNotFoundError();
      await this.access.requireLivePatient(found.patientId).catch((error: unknown) => {
        throw error instanceof PatientNotFoundError ? new PatientReportedNotFoundError() : error;
      });
      return found;
    });
  }

  /** Whether `id` names a record of this kind: routes a FHIR read; reveals nothing, reads nothing of it. */
  async holds(kind: ReportedKind, id: string): Promise<boolean> {
    return isRecordId(id) && (await this.repository.findLive(kind, id)) !== null;
  }

  /** One patient's records of a kind, newest first. */
  list(kind: ReportedKind, patientId: string, search: ReportedSearch): Promise<ReportedPage> {
    return this.ledger.read(
      this.event(AuditAction.Search, kind, patientId),
      async () => {
        await this.access.requireLivePatient(patientId);
        return this.page(kind, { ...search, patientId });
      },
      (page) => page.items.length,
    );
  }

  /** Records across patients (only the caller's own when confined to a compartment), newest first. */
  search(kind: ReportedKind, search: ReportedSearch): Promise<ReportedPage> {
    return this.ledger.read(
      this.event(AuditAction.Search, kind, search.patientId),
      async () => {
        const patientId = this.access.searchablePatient(search.patientId);
        if (patientId === null) return { items: [] };
        return this.page(kind, { ...search, patientId });
      },
      (page) => page.items.length,
    );
  }

  /** The caller is this patient, signed in with their own patient context (a stranger's: "not found"). */
  private async requireReporter(patientId: string): Promise<void> {
    const principal = this.access.requireAccess(patientId);
    if (!principal.roles.includes(Role.Patient) || principal.patientId !== patientId)
      throw new ReporterRequiredError();
    await this.access.requireLivePatient(patientId);
  }

  private async page(kind: ReportedKind, search: ReportedSearch): Promise<ReportedPage> {
    const limit = search.limit ?? DEFAULT_LIMIT;
    const after = search.cursor ? decodeCursor(search.cursor, { at: 'number', id: 'string' }) : undefined;
    const found = await this.repository.search(
      { ...search, kind, after: after && { at: new Date(after.at), id: after.id } },
      limit + 1,
    );
    const items = found.slice(0, limit);
    const last = items.at(-1);
    const next =
      found.length > limit && last
        ? encodeCursor({ at: last.effectiveAt.getTime(), id: last._id })
        : undefined;
    return { items, next };
  }

  private event(action: AuditAction, kind: ReportedKind, patientId: string | undefined, id?: string) {
    return recordEvent(action, AUDITED_AS[kind], patientId, id);
  }
}
