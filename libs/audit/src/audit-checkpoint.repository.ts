import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { AuditCheckpoint } from './audit-checkpoint';
import { AuditCheckpointDocument } from './audit-entry.schema';

/** The ledger's checkpoints: insert and read only, like the entries. */
@Injectable()
export class AuditCheckpointRepository {
  constructor(
    @InjectModel(AuditCheckpointDocument.name) private readonly checkpoints: Model<AuditCheckpointDocument>,
  ) {}

  async insert({ id, ...checkpoint }: AuditCheckpoint): Promise<void> {
    await this.checkpoints.collection.insertOne({
      _id: id,
      ...checkpoint,
      heads: [...checkpoint.heads],
    } as never);
  }

  async latest(): Promise<AuditCheckpoint | undefined> {
    const found = await this.checkpoints.findOne().sort({ at: -1 }).lean<AuditCheckpointDocument>();
    if (!found) return undefined;
    const { _id, ...checkpoint } = found;
    return { id: _id, ...checkpoint };
  }
}
