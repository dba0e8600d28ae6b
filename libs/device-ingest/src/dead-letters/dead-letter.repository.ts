import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, Model } from 'mongoose';
import { DeadLetter } from './dead-letter.schema';

export type DeadLetterRecord = DeadLetter & { id: string };

/** The only code touching the dead-letter collection. */
@Injectable()
export class DeadLetterRepository {
  constructor(@InjectModel(DeadLetter.name) private readonly model: Model<DeadLetter>) {}

  async addMany(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length > 0) await this.model.insertMany(letters, { ordered: false });
  }

  async list(limit: number, before?: Date): Promise<DeadLetterRecord[]> {
    const filter = before ? { failedAt: { $lt: before } } : {};
    const docs = await this.model.find(filter).sort({ failedAt: -1 }).limit(limit).lean();
    return docs.map(({ _id, ...rest }) => ({ ...rest, id: String(_id) }));
  }

  async find(id: string): Promise<DeadLetterRecord | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const doc = await this.model.findById(id).lean();
    return doc ? { ...doc, id: String(doc._id) } : undefined;
  }

  async remove(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id });
  }

  async recordFailedReplay(
    id: string,
    failure: Pick<DeadLetter, 'errorType' | 'reason' | 'message'>,
  ): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { ...failure }, $inc: { replayAttempts: 1 } });
  }
}
