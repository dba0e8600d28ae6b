import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Collection, Db, Document, FindOptions } from 'mongodb';
import mongoose from 'mongoose';

/** A find as the app sent it to the driver: collection, filter and options (sort, limit, projection). */
export interface SentFind {
  readonly collection: string;
  readonly filter: Document;
  readonly options: FindOptions;
}

/**
 * The finds the app sends during each test of the enclosing block, taken from mongoose as it hands them to
 * the driver (the same hook covers `Model.find` and `Model.collection.find`).
 */
export function recordSentFinds(): SentFind[] {
  const sent: SentFind[] = [];
  beforeAll(() =>
    mongoose.set('debug', (collection: string, method: string, filter: Document, options?: FindOptions) => {
      if (method === 'find') sent.push({ collection, filter, options: options ?? {} });
    }),
  );
  beforeEach(() => (sent.length = 0));
  afterAll(() => mongoose.set('debug', false));
  return sent;
}

/** What an engine's `explain` says about how it serves one find. */
export interface QueryPlan {
  /** Some part of the plan reads the whole collection (MongoDB COLLSCAN, PostgreSQL Seq Scan). */
  readonly collectionScan: boolean;
  /** Key patterns of the indexes the plan reads. */
  readonly indexKeys: string[][];
}

/** Explains `find` exactly as it was sent, on the engine under test, at volume (see `atVolume`). */
export async function explainFind(db: Db, { collection, filter, options }: SentFind): Promise<QueryPlan> {
  const { sort, limit, projection } = options;
  const copy = await atVolume(db.collection(collection));
  return explainPlan(copy, copy.find(filter, { sort, limit, projection }));
}

/** Documents in the copy a plan is asked of: a table of the size where an index should be chosen. */
const VOLUME = 2_000;
const copies = new Map<string, Promise<Collection>>();

/**
 * A copy of `collection` for explaining: its indexes, its documents, and VOLUME more shaped like one of them
 * but with every string, number and date replaced by a random value (no search of a test matches them), in
 * a scratch database, analysed. A planner that costs plans (PostgreSQL, under DocumentDB) rightly reads a
 * table of a few rows whole; at volume it shows which index it would use. The suite's data is not touched.
 */
export function atVolume(collection: Collection): Promise<Collection> {
  const key = `${collection.dbName}.${collection.collectionName}`;
  let copy = copies.get(key);
  if (!copy) copies.set(key, (copy = fillCopy(collection)));
  return copy;
}

async function fillCopy(collection: Collection): Promise<Collection> {
  const scratch = collection.db.client.db(`${collection.dbName}_plans`);
  const copy = scratch.collection(collection.collectionName);
  await copy.drop().catch(() => undefined);
  // The index descriptions as listed, less the fields only the server sets.
  const indexes = (await collection.indexes()).filter(({ name }) => name !== '_id_');
  await copy.createIndexes(indexes.map(({ v: _v, ns: _ns, ...index }) => index));
  const own = await collection.find().toArray();
  const template = own[0] ?? {};
  const noise = Array.from({ length: VOLUME }, () => ({
    ...(randomised(template) as Document),
    _id: randomUUID(),
    auditOutbox: [],
  }));
  // Ids of the records' own kind (uuids, not ObjectIds): the driver's types assume ObjectIds.
  await copy.insertMany([...own, ...noise] as never);
  analyseEngine(await scratch.admin().command({ buildInfo: 1 }));
  return copy;
}

/** `value` with every leaf but booleans (flags such as `deleted` keep their meaning) replaced at random. */
function randomised(value: unknown): unknown {
  if (typeof value === 'string') return `noise-${randomUUID()}`;
  if (typeof value === 'number') return Math.round(Math.random() * 1e9) / 100;
  if (value instanceof Date) return new Date(Date.UTC(1900, 0, 1) + Math.random() * 1.5e12);
  if (Array.isArray(value)) return value.map(randomised);
  if (value && typeof value === 'object' && value.constructor === Object)
    return Object.fromEntries(Object.entries(value).map(([field, leaf]) => [field, randomised(leaf)]));
  return value;
}

/**
 * Fresh statistics for the planner. FerretDB 2 (DocumentDB): ANALYZE through the test cluster's socket
 * (scripts/ferretdb.sh keeps its folder under .data/ferretdb); MongoDB plans without statistics.
 */
function analyseEngine(buildInfo: Document): void {
  if (!('ferretdb' in buildInfo)) return;
  const port = process.env.TEST_FERRETDB_PORT;
  if (!port) throw new Error('TEST_FERRETDB_PORT is not set: run the suites with `npm test`');
  const cluster = readFileSync(`.data/ferretdb/${port}.dir`, 'utf8').trim();
  const psql = [
    '/usr/lib/postgresql/15/bin/psql',
    '-h',
    `${cluster}/run`,
    '-U',
    'postgres',
    '-d',
    'postgres',
  ];
  const asPostgres = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  const [command, ...args] = [...asPostgres, ...psql, '-qc', 'ANALYZE'];
  execFileSync(command, args, { stdio: 'pipe' });
}

/**
 * The plan of an explained cursor. MongoDB names its stages and index key patterns; FerretDB 2 hands back
 * DocumentDB's PostgreSQL plan, whose index scans name the index, resolved here to its key pattern.
 */
export async function explainPlan(
  collection: Collection,
  cursor: { explain(): Promise<Document> },
): Promise<QueryPlan> {
  const explained = await cursor.explain();
  if (!('ferretdb' in (explained.serverInfo ?? {}))) return mongodbPlan(explained);
  const keysByName = new Map(
    (await collection.indexes()).map((index) => [index.name, Object.keys(index.key)] as const),
  );
  const nodes = walk(explained.queryPlanner?.Plan, 'Plans');
  return {
    collectionScan: nodes.some((node) => node['Node Type'] === 'Seq Scan'),
    indexKeys: nodes
      .filter((node) => typeof node['Index Name'] === 'string')
      .map((node) => keysByName.get(node['Index Name'] as string) ?? []),
  };
}

function mongodbPlan(explained: Document): QueryPlan {
  const stages = walk(explained.queryPlanner?.winningPlan, 'inputStage', 'inputStages');
  return {
    collectionScan: stages.some((stage) => stage.stage === 'COLLSCAN'),
    indexKeys: stages
      .filter((stage) => stage.stage === 'IXSCAN')
      .map((stage) => Object.keys(stage.keyPattern as object)),
  };
}

/** A plan tree flattened, outermost node first, following the child fields named. */
function walk(node: Document | undefined, ...children: string[]): Document[] {
  if (!node) return [];
  const below = children.flatMap((field): Document[] => {
    const child = node[field] as Document | undefined;
    return child === undefined ? [] : ([] as Document[]).concat(child);
  });
  return [node, ...below.flatMap((child) => walk(child, ...children))];
}
