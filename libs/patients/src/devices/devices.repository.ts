import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AuditDraft } from '@hdp/audit';
import type { FilterQuery, Model } from 'mongoose';
import { AuditIntents } from '../audit-intents';
import { isDuplicateKey } from '../duplicate-key';
import { DeviceContent, deviceKeysOf } from './device.keys';
import { DeviceDocument } from './device.schema';
import { DeviceIdentifierTakenError } from './devices.errors';

export interface DeviceFilter {
  readonly patientId?: string;
  /** Any of these identifier keys (see `identifierSearchKey`). */
  readonly identifierKeys?: readonly string[];
  /** Only devices with a greater id (the page cursor). */
  readonly afterId?: string;
}

const HIDE_OUTBOX = { auditOutbox: 0 };

/** The only code that touches the devices collection. Its keys are derived here, on every write. */
@Injectable()
export class DevicesRepository {
  readonly intents: AuditIntents<DeviceDocument>;

  constructor(@InjectModel(DeviceDocument.name) private readonly devices: Model<DeviceDocument>) {
    this.intents = new AuditIntents(devices);
  }

  async insert(id: string, patientId: string | undefined, device: DeviceContent, draft: AuditDraft) {
    const now = new Date();
    const document = {
      _id: id,
      ...(patientId !== undefined ? { patientId } : {}),
      device,
      ...deviceKeysOf(device),
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.devices.collection
      .insertOne({ ...document, ...this.intents.hold(draft) } as object)
      .catch(rethrowDuplicate);
    return { ...document, auditOutbox: [] } as DeviceDocument;
  }

  async findById(id: string): Promise<DeviceDocument | null> {
    return this.devices.findOne({ _id: id }, HIDE_OUTBOX).lean<DeviceDocument>();
  }

  /** Replaces the Device if the stored version is still `version`; null when it is not. */
  async replace(
    id: string,
    version: number,
    patientId: string | undefined,
    device: DeviceContent,
    draft: AuditDraft,
  ) {
    const keys = deviceKeysOf(device);
    const unset = [
      ...(patientId === undefined ? ['patientId'] : []),
      ...(keys.identifierKey === undefined ? ['identifierKey'] : []),
    ];
    return this.devices
      .findOneAndUpdate(
        { _id: id, version },
        {
          $set: {
            device,
            ...keys,
            ...(patientId ? { patientId } : {}),
            version: version + 1,
            updatedAt: new Date(),
          },
          ...(unset.length > 0 ? { $unset: Object.fromEntries(unset.map((key) => [key, 1])) } : {}),
          $push: { auditOutbox: draft },
        },
        { new: true },
      )
      .lean<DeviceDocument>()
      .catch(rethrowDuplicate);
  }

  /** In id order, from the cursor on. */
  async search(filter: DeviceFilter, limit: number): Promise<DeviceDocument[]> {
    const keys = filter.identifierKeys;
    const query: FilterQuery<DeviceDocument> = {
      ...(filter.patientId !== undefined ? { patientId: filter.patientId } : {}),
      ...(keys === undefined ? {} : { identifierKeys: keys.length === 1 ? keys[0] : { $in: [...keys] } }),
      ...(filter.afterId !== undefined ? { _id: { $gt: filter.afterId } } : {}),
    };
    return this.devices.find(query, HIDE_OUTBOX).sort({ _id: 1 }).limit(limit).lean<DeviceDocument[]>();
  }
}

function rethrowDuplicate(error: unknown): never {
  if (isDuplicateKey(error)) throw new DeviceIdentifierTakenError();
  throw error;
}
