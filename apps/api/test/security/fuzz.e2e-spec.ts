import fc from 'fast-check';
import request from 'supertest';
import { patientBody, resultBody, useAuditedApp } from '../support/patients-fixtures';

interface Route {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  readonly path: string;
}

/** The fuzz run's wall-clock budget: what is not run by then is skipped, so CI time stays bounded. */
const BUDGET_MS = 40_000;

/** Collections a request may legitimately append to: the ledger (failures are entries too) and the intake queue. */
const APPEND_ONLY = /^(audit_|device_)/;

const printable = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));

const CONTENT_TYPES = [
  'application/json',
  'application/fhir+json',
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/x-ndjson',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'text/plain',
];

/** Bodies that are not what any route takes: broken JSON, scalars, objects of unknown fields, deep nesting. */
const malformedBody = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string()).map((value) => JSON.stringify(value)),
  fc
    .dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }))
    .map((value) => JSON.stringify({ ['\u0000unknown']: 1, ...value })),
  fc.integer({ min: 90, max: 3000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.constantFrom('{', '[1,', '{"a":}', '\u0000', '\uFFFF', '{"resourceType":{}}'),
);

const headers = fc.record(
  {
    'content-type': fc.oneof(fc.constantFrom(...CONTENT_TYPES), printable(40)),
    'content-encoding': fc.oneof(fc.constantFrom('gzip', 'deflate', 'br', 'identity'), printable(20)),
    'if-match': printable(40),
    'if-none-exist': printable(60),
    'x-request-id': printable(300),
    'x-break-glass-reason': printable(600),
    accept: printable(40),
  },
  { requiredKeys: [] },
);

const query = fc.oneof(
  fc
    .dictionary(printable(12), fc.oneof(printable(30), fc.array(printable(10), { maxLength: 3 })))
    .map((values) => {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(values))
        for (const one of [value].flat()) params.append(name, one);
      return params.toString();
    }),
  fc.constantFrom(
    '%',
    '%E0%A4%A',
    'a=%zz',
    '_count=-1',
    '_count=1e309',
    'limit=NaN',
    'cursor=!!',
    '_sort=__proto__',
  ),
);

describe('Fuzzing every route with malformed requests', () => {
  const app = useAuditedApp();
  let routes: Route[] = [];
  let patientId: string;

  beforeAll(async () => {
    const patient = await app.ctx.as().post('/api/v1/patients').send(patientBody()).expect(201);
    patientId = patient.body.id;
    await app.ctx.as().post(`/api/v1/patients/${patientId}/test-results`).send(resultBody()).expect(201);
    const spec = await request(app.ctx.http).get('/openapi.json').expect(200);
    routes = Object.entries(spec.body.paths as Record<string, object>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => ({ method: method as Route['method'], path })),
    );
    routes.push({ method: 'post', path: '/fhir/R4' });
  });

  /** Every document of every collection a rejected request must leave alone. */
  async function storedState(): Promise<Record<string, unknown[]>> {
    const collections = await app.db.listCollections({}, { nameOnly: true }).toArray();
    const state: Record<string, unknown[]> = {};
    for (const { name } of collections.filter(({ name }) => !APPEND_ONLY.test(name)).sort()) {
      state[name] = await app.db.collection(name).find().sort({ _id: 1 }).toArray();
    }
    return state;
  }

  /** A route's `{param}`s filled with the real patient's id (never for a DELETE), a random uuid, or junk. */
  const pathOf = (route: Route) =>
    fc
      .array(
        fc.oneof(
          fc.constant(route.method === 'delete' ? 'e3b0c442-98fc-4c14-9afb-f4c8996fb924' : patientId),
          fc.uuid(),
          fc.stringMatching(/^[A-Za-z0-9._~%$-]{1,30}$/),
        ),
        { minLength: 8, maxLength: 8 },
      )
      .map((values) => {
        let index = 0;
        return route.path.replace(/\{[^}]+\}/g, () => values[index++]);
      });

  it('never answers 5xx and never changes stored data', async () => {
    expect(routes.length).toBeGreaterThan(30);
    const before = await storedState();
    const started = Date.now();
    let sent = 0;
    const requestArb = fc
      .constantFrom(...routes)
      .chain((route) => fc.tuple(fc.constant(route), pathOf(route), query, headers, malformedBody));
    await fc.assert(
      fc.asyncProperty(requestArb, async ([route, path, search, sentHeaders, body]) => {
        let req = app.ctx.as()[route.method](search ? `${path}?${search}` : path);
        for (const [name, value] of Object.entries(sentHeaders)) req = req.set(name, value);
        const res = await (route.method === 'get' ? req : req.send(body));
        sent++;
        expect(res.status).toBeLessThan(500);
      }),
      {
        numRuns: 1500,
        interruptAfterTimeLimit: BUDGET_MS,
        seed: Number(process.env.FUZZ_SEED ?? Date.now()),
      },
    );
    expect(await storedState()).toEqual(before);
    // The figure README quotes: requests sent and how long they took.
    process.stdout.write(`fuzz: ${sent} requests in ${Date.now() - started} ms\n`);
  }, 90_000);
});
