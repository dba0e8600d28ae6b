import type { Collection } from 'mongoose';
import { InsertBatcher } from './insert-batcher';

/** A collection whose insertMany stores by _id, refusing ids already stored the way the driver reports it. */
function fakeCollection() {
  const stored = new Set<string>();
  const batches: number[] = [];
  const insertMany = (documents: { _id: string }[]) => {
    batches.push(documents.length);
    const writeErrors = documents.flatMap((document, index) => {
      if (stored.has(document._id)) return [{ index, code: 11000, errmsg: `dup key ${document._id}` }];
      stored.add(document._id);
      return [];
    });
    if (writeErrors.length > 0) return Promise.reject(Object.assign(new Error('bulk'), { writeErrors }));
    return Promise.resolve();
  };
  return { collection: { insertMany } as unknown as Collection, stored, batches };
}

describe(InsertBatcher.name, () => {
  it('sends inserts made while a batch is in flight together in the next one', async () => {
    const { collection, stored, batches } = fakeCollection();
    const sut = new InsertBatcher(collection);
    await Promise.all(['a', 'b', 'c', 'd'].map((_id) => sut.insert({ _id })));
    expect([...stored]).toEqual(['a', 'b', 'c', 'd']);
    expect(batches).toEqual([1, 3]);
  });

  it('fails only the duplicate of a batch, with its code and without the key in the message', async () => {
    const { collection, stored } = fakeCollection();
    const sut = new InsertBatcher(collection);
    await sut.insert({ _id: 'taken' });
    const outcomes = await Promise.allSettled(['x', 'taken', 'y'].map((_id) => sut.insert({ _id })));
    expect(outcomes.map(({ status }) => status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const { reason } = outcomes[1] as PromiseRejectedResult;
    expect(reason).toMatchObject({ code: 11000 });
    expect(String((reason as Error).message)).not.toContain('taken');
    expect([...stored]).toEqual(['taken', 'x', 'y']);
  });

  it('fails the whole batch when the engine refuses it without per-document errors', async () => {
    const collection = { insertMany: () => Promise.reject(new Error('down')) } as unknown as Collection;
    const sut = new InsertBatcher(collection);
    await expect(sut.insert({ _id: 'a' })).rejects.toThrow('down');
  });
});
