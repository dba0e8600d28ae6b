// Asks a MongoDB-compatible server which of the features docs/datastore.md lists it serves.
// Usage: node scripts/probe-engine.mjs mongodb://127.0.0.1:27017
import { MongoClient } from 'mongodb';

const client = await MongoClient.connect(process.argv[2] ?? 'mongodb://127.0.0.1:27017', {
  retryWrites: false,
});
const db = client.db(`probe_${Date.now()}`);
const col = db.collection('probe');
await col.insertMany([
  { x: 1, g: 'a', t: new Date(), arr: [1, 2] },
  { x: 2, g: 'b', t: new Date() },
]);
const group = (accumulator) =>
  col.aggregate([{ $group: { _id: '$g', v: { [accumulator]: '$x' } } }]).toArray();
const stage = (s) => col.aggregate([s]).toArray();
const project = (expression) => stage({ $project: { v: expression } });

const probes = {
  'unique compound index': () => col.createIndex({ g: 1, x: 1 }, { unique: true }),
  'sparse index': () => col.createIndex({ q: 1 }, { sparse: true }),
  'TTL index': () => col.createIndex({ t: 1 }, { expireAfterSeconds: 3600 }),
  'partial index': () => col.createIndex({ x: 1 }, { partialFilterExpression: { x: { $gt: 0 } } }),
  'collation index': () => col.createIndex({ g: 1 }, { name: 'c', collation: { locale: 'en', strength: 2 } }),
  'unique index on an array field (multikey) enforced': async () => {
    const unique = db.collection('probe_unique');
    await unique.createIndex({ keys: 1 }, { unique: true, sparse: true });
    await unique.insertOne({ keys: ['a', 'b'] });
    const refused = await unique.insertOne({ keys: ['c', 'b'] }).then(
      () => false,
      (error) => error.code === 11000,
    );
    if (!refused) throw new Error('a second document with key b was accepted');
  },
  'atomic compare-and-set: 20 concurrent findOneAndUpdate on one version, one winner': async () => {
    const versioned = db.collection('probe_cas');
    await versioned.insertOne({ _id: 'r', version: 1 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        versioned.findOneAndUpdate({ _id: 'r', version: 1 }, { $set: { version: 2, by: n } }),
      ),
    );
    const winners = results.filter((result) => result !== null).length;
    if (winners !== 1) throw new Error(`${winners} winners`);
  },
  '$pull with a condition': async () => {
    await col.insertOne({ x: 20, list: [1, 5, 9] });
    await col.updateOne({ x: 20 }, { $pull: { list: { $gt: 4 } } });
    const { list } = await col.findOne({ x: 20 });
    if (list.length !== 1) throw new Error(`left ${JSON.stringify(list)}`);
  },
  'findOneAndUpdate with upsert': () => col.findOneAndUpdate({ x: 9 }, { $inc: { n: 1 } }, { upsert: true }),
  'update operators $setOnInsert $addToSet $push $max': () =>
    col.updateOne(
      { x: 8 },
      { $setOnInsert: { a: 1 }, $addToSet: { s: 1 }, $push: { p: 1 }, $max: { m: 1 } },
      { upsert: true },
    ),
  'unordered bulkWrite': () => col.bulkWrite([{ insertOne: { document: { x: 7 } } }], { ordered: false }),
  'anchored $regex': () => col.find({ g: { $regex: '^a' } }).toArray(),
  '$elemMatch, $in, $exists': () =>
    col.find({ arr: { $elemMatch: { $gt: 1 } }, x: { $in: [1] }, g: { $exists: true } }).toArray(),
  explain: () => col.find({ x: 1 }).explain(),
  '$match $sort $skip $limit $project $unwind $count': () =>
    col
      .aggregate([
        { $match: {} },
        { $sort: { x: 1 } },
        { $skip: 0 },
        { $limit: 5 },
        { $project: { arr: 1 } },
        { $unwind: '$arr' },
        { $count: 'n' },
      ])
      .toArray(),
  '$addFields / $set stages': () => stage({ $addFields: { y: 1 } }),
  '$group $sum, $count': () =>
    col.aggregate([{ $group: { _id: '$g', s: { $sum: '$x' }, n: { $count: {} } } }]).toArray(),
  '$group $min': () => group('$min'),
  '$group $max': () => group('$max'),
  '$group $avg': () => group('$avg'),
  '$group $push': () => group('$push'),
  '$group $first': () => group('$first'),
  'expression $divide': () => project({ $divide: ['$x', 2] }),
  'expression $dateToString': () => project({ $dateToString: { date: '$t', format: '%Y-%m-%d' } }),
  'expression $dateTrunc': () => project({ $dateTrunc: { date: '$t', unit: 'day' } }),
  $lookup: () => stage({ $lookup: { from: 'probe', localField: 'g', foreignField: 'g', as: 'j' } }),
  $facet: () => stage({ $facet: { a: [{ $match: {} }] } }),
  $setWindowFields: () => stage({ $setWindowFields: { sortBy: { x: 1 }, output: { s: { $sum: '$x' } } } }),
  $text: () => col.find({ $text: { $search: 'a' } }).toArray(),
  $where: () => col.find({ $where: 'true' }).toArray(),
  'multi-document transaction': async () => {
    const session = client.startSession();
    try {
      await session.withTransaction(() => col.insertOne({ x: 6 }, { session }));
    } finally {
      await session.endSession();
    }
  },
  'change stream': async () => {
    const stream = col.watch();
    await Promise.race([stream.tryNext(), new Promise((resolve) => setTimeout(resolve, 300))]);
    await stream.close();
  },
};

for (const [name, probe] of Object.entries(probes)) {
  try {
    await probe();
    console.log(`yes  ${name}`);
  } catch (error) {
    console.log(`no   ${name}  (${error.codeName ?? error.name}: ${String(error.message).slice(0, 80)})`);
  }
}
await db.dropDatabase();
await client.close();
