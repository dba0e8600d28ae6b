import type { Query, Schema } from 'mongoose';

/**
 * A find with a limit is answered in one batch. The server closes its cursor after the first batch only
 * when asked to (`singleBatch`); otherwise the driver asks for more, and FerretDB 2.5 answers that `getMore`
 * slowly: a 10-result page of Observations took 13 ms, 3 ms in one batch (docs/datastore.md). A limited find
 * never wants more than `limit` documents, and the batch is sized to hold them all.
 */
export function singleBatchPages(schema: Schema): void {
  schema.pre('find', function (this: Query<unknown, unknown>) {
    const { limit } = this.getOptions();
    if (typeof limit === 'number' && limit > 0) this.setOptions({ singleBatch: true, batchSize: limit });
  });
}
