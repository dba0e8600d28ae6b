import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Identifier } from 'fhir/r4';
import { AuditAction, AuditDraft, AuditLedgerService } from '@hdp/audit';
import { isRecordId } from '@hdp/platform';
import { requireIfMatch } from '../etag';
import { readIdPage } from '../id-page';
import { PatientAccessService } from '../patient-access.service';
import { PatientNotFoundError, VersionMismatchError } from '../patients.errors';
import { identifierKeyOf } from '../test-results.keys';
import { DeviceContent, DeviceRecord } from './device.keys';
import { DeviceDocument } from './device.schema';
import {
  AmbiguousDeviceIdentifierError,
  DeviceIdentifierTakenError,
  DeviceLinkedElsewhereError,
  DeviceNotFoundError,
  UnknownDevicePatientError,
} from './devices.errors';
import { DeviceFilter, DevicesRepository } from './devices.repository';

import { recordEvent } from '../record-event';
const DEVICE = 'Device';
/** Rounds a linked create may lose to concurrent writers of the same device before it gives up. */
const MAX_ATTEMPTS = 10;

/** A device search: the filter, a page size and the previous page's cursor. */
export interface DeviceSearch extends Omit<DeviceFilter, 'afterId'> {
  readonly limit?: number;
  readonly cursor?: string;
}

/**
 * Devices, each one FHIR Device, optionally linked to a patient (`Device.patient`). A linked device follows
 * its patient's access rules; an unlinked one is for callers not confined to a compartment. Every
 * interaction is audited; a device linked to a patient is never re-linked to another.
 */
@Injectable()
export class DevicesService {
  constructor(
    private readonly repository: DevicesRepository,
    private readonly access: PatientAccessService,
    private readonly ledger: AuditLedgerService,
  ) {}

  async read(id: string): Promise<DeviceRecord> {
    const found = isRecordId(id) ? await this.repository.findById(id) : null;
    return this.ledger.read(this.event(AuditAction.Read, found?.patientId, id), () =>
      Promise.resolve(toDeviceRecord(this.requireVisible(found))),
    );
  }

  /** Records a Device, linked to `patientId` (a live patient the caller may see, else 422) when given. */
  create(patientId: string | undefined, device: DeviceContent): Promise<DeviceRecord> {
    const id = randomUUID();
    const event = { ...this.event(AuditAction.Create, patientId), resourceId: id, success: 201 };
    return this.ledger.change(event, async (draft) => {
      await this.requireLinkable(patientId);
      const created = await this.repository.insert(id, patientId, device, draft);
      return this.written(created, draft);
    });
  }

  /** Versioned replace of the whole Device; a linked device stays with its patient (409 otherwise). */
  async update(id: string, patientId: string | undefined, device: DeviceContent, ifMatch?: string) {
    const found = isRecordId(id) ? await this.repository.findById(id) : null;
    return this.ledger.change(
      this.event(AuditAction.Update, found?.patientId ?? patientId, id),
      async (draft) => {
        const current = this.requireVisible(found);
        requireIfMatch(ifMatch, current.version);
        if (current.patientId !== undefined && current.patientId !== patientId)
          throw new DeviceLinkedElsewhereError();
        await this.requireLinkable(patientId);
        return this.written(
          await this.repository.replace(id, current.version, patientId, device, draft),
          draft,
        );
      },
    );
  }

  /** Devices in id order (only those linked to the caller's patient when confined to a compartment). */
  search(search: DeviceSearch) {
    return this.ledger.read(
      this.event(AuditAction.Search, search.patientId),
      async () => {
        const patientId = this.access.searchablePatient(search.patientId);
        if (patientId === null) return { items: [] as DeviceRecord[], next: undefined };
        const page = await readIdPage(search, (afterId, size) =>
          this.repository.search({ ...search, patientId, afterId }, size),
        );
        return { items: page.items.map(toDeviceRecord), next: page.next };
      },
      (page) => page.items.length,
    );
  }

  /** The device holding `identifier` (system and value), undefined when none does; 412 when several do. */
  async findByIdentifier(identifier: Identifier): Promise<DeviceRecord | undefined> {
    const matches = await this.repository.search({ identifierKeys: [identifierKeyOf(identifier)] }, 2);
    if (matches.length > 1) throw new AmbiguousDeviceIdentifierError();
    if (matches.length === 0) return undefined;
    const [found] = matches;
    return this.ledger.read(this.event(AuditAction.Read, found.patientId, found._id), () =>
      Promise.resolve(toDeviceRecord(this.requireVisible(found))),
    );
  }

  /**
   * The device holding `identifier`, linked to `patientId`: created (with that one identifier) when none
   * holds it, linked when it is not linked yet. Race-free: the store's unique key on the first identifier
   * makes parallel calls converge on one device. Linked to another patient: DeviceLinkedElsewhereError.
   */
  async createLinked(identifier: Identifier, patientId: string): Promise<DeviceRecord> {
    const patient = { reference: `Patient/${patientId}` };
    for (let attempt = 1; ; attempt++) {
      try {
        const found = await this.findByIdentifier(identifier);
        if (!found) return await this.create(patientId, { identifier: [identifier], patient });
        if (found.patientId === patientId) return found;
        if (found.patientId !== undefined) throw new DeviceLinkedElsewhereError();
        const ifMatch = `W/"${found.version}"`;
        return await this.update(found.id, patientId, { ...found.device, patient }, ifMatch);
      } catch (error) {
        const raced = error instanceof DeviceIdentifierTakenError || error instanceof VersionMismatchError;
        if (!raced || attempt === MAX_ATTEMPTS) throw error;
      }
    }
  }

  private written(document: DeviceDocument | null, draft: AuditDraft) {
    if (!document) throw new VersionMismatchError();
    const settle = () => this.repository.intents.clearLater(document._id, draft);
    return { value: toDeviceRecord(document), settle };
  }

  /** A device may be linked to a live patient the caller may see; an unlinked one only outside a compartment. */
  private async requireLinkable(patientId: string | undefined): Promise<void> {
    if (patientId === undefined) {
      this.access.requireCreate();
      return;
    }
    try {
      await this.access.requireLivePatient(patientId);
    } catch (error) {
      throw error instanceof PatientNotFoundError ? new UnknownDevicePatientError() : error;
    }
  }

  /** Found and visible to the caller (linked inside their compartment, or they have none); else "not found". */
  private requireVisible(found: DeviceDocument | null): DeviceDocument {
    if (!found) throw new DeviceNotFoundError();
    const principal = this.access.requirePatientDataAccess();
    const compartment = this.access.compartmentOf(principal);
    if (compartment !== undefined && found.patientId !== compartment) throw new DeviceNotFoundError();
    return found;
  }

  private event(action: AuditAction, patientId: string | undefined, id?: string) {
    return recordEvent(action, DEVICE, patientId, id);
  }
}

function toDeviceRecord(document: DeviceDocument): DeviceRecord {
  return {
    id: document._id,
    ...(document.patientId !== undefined ? { patientId: document.patientId } : {}),
    version: document.version,
    updatedAt: document.updatedAt.toISOString(),
    device: document.device,
  };
}
