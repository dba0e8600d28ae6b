import type { Db, Document, FindOptions } from 'mongodb';
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
export type QueryPlan =
  | {
      readonly engine: 'ferretdb';
      /** PostgreSQL plan node types, outermost first. */
      readonly nodes: string[];
      /** Top-level fields whose condition PostgreSQL evaluates (FerretDB's filter pushdown). */
      readonly pushedFields: string[];
    }
  | {
      readonly engine: 'mongodb';
      /** Winning plan stage names, outermost first. */
      readonly stages: string[];
      /** Key patterns of the index scans in the winning plan. */
      readonly indexKeys: string[][];
    };

/** Explains `find` exactly as it was sent, on the engine under test. */
export async function explainFind(db: Db, { collection, filter, options }: SentFind): Promise<QueryPlan> {
  const { sort, limit, projection } = options;
  const explained = await db.collection(collection).find(filter, { sort, limit, projection }).explain();
  return 'ferretdbVersion' in (explained.serverInfo ?? {}) ? ferretdbPlan(explained) : mongodbPlan(explained);
}

function ferretdbPlan(explained: Document): QueryPlan {
  const nodes = walk(explained.queryPlanner?.Plan, 'Plans').map((node) => String(node['Node Type']));
  const filters = walk(explained.queryPlanner?.Plan, 'Plans')
    .map((node) => String(node.Filter ?? ''))
    .join(' ');
  const pushedFields = [...filters.matchAll(/_jsonb -> '([^']+)'::text/g)].map((match) => match[1]);
  return { engine: 'ferretdb', nodes, pushedFields: [...new Set(pushedFields)] };
}

function mongodbPlan(explained: Document): QueryPlan {
  const stages = walk(explained.queryPlanner?.winningPlan, 'inputStage', 'inputStages');
  return {
    engine: 'mongodb',
    stages: stages.map((stage) => String(stage.stage)),
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
