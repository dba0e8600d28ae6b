import type { Db } from 'mongodb';
import { createResource, expectOutcome } from './support/fhir-fixtures';
import { servedByIndex } from './support/index-probe';
import { NHS, newNhsNumber, startAuditedApp } from './support/patients-fixtures';
import { TestApp } from './support/test-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- FHIR JSON as the tests send and read it
type Resource = Record<string, any>;

const LOINC = 'http://loinc.org';
const FORM = 'application/x-www-form-urlencoded';

describe('FHIR search results: Prefer handling, _total, _summary=count and _sort with stable cursors', () => {
  let ctx: TestApp;
  let db: Db;
  let close: () => Promise<void>;
  let patientId: string;
  /** Family name to id, for the suite's patients (the suite's database holds no others). */
  const patients: Record<string, string> = {};
  /** Observation name to id. */
  const observations: Record<string, string> = {};

  const addPatient = async (family: string, birthDate: string) => {
    patients[family] = await createResource(ctx, 'Patient', {
      identifier: [{ system: NHS, value: newNhsNumber() }],
      name: [{ family, given: ['Test'] }],
      gender: 'female',
      birthDate,
    });
  };
  const addObservation = async (name: string, effectiveDateTime: string) => {
    observations[name] = await createResource(ctx, 'Observation', {
      status: 'final',
      code: { coding: [{ system: LOINC, code: '8867-4' }] },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime,
      valueQuantity: { value: 70, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    });
  };
  const get = (path: string, prefer?: string) => {
    const req = ctx.as().get(path);
    return prefer ? req.set('prefer', prefer) : req;
  };
  const nextOf = (body: Resource): string | undefined => {
    const next = (body.link as { relation: string; url: string }[]).find((link) => link.relation === 'next');
    return next?.url.replace(/^.*\/fhir/, '/fhir');
  };
  /** Every page of a search, following `next` links; the names of the matches in order. */
  const allPages = async (path: string, names: Record<string, string>, between?: () => Promise<void>) => {
    const seen: string[] = [];
    let url: string | undefined = path;
    while (url) {
      const { body } = (await get(url).expect(200)) as { body: Resource };
      seen.push(...((body.entry ?? []) as Resource[]).map((entry) => nameOf(names, entry.resource.id)));
      url = nextOf(body);
      if (between) await between();
      between = undefined;
    }
    return seen;
  };
  const nameOf = (names: Record<string, string>, id: string) =>
    Object.keys(names).find((name) => names[name] === id) ?? id;

  beforeAll(async () => {
    ({ ctx, db, close } = await startAuditedApp());
    await addPatient('Cotton', '1990-12-31');
    await addPatient('Baggins', '1968-09-22');
    await addPatient('Gamgee', '1990-03-25');
    await addPatient('Took', '1982-07-01');
    await addPatient('Brandybuck', '1982-07-01');
    patientId = patients.Cotton;
    await addObservation('march', '2026-03-01T10:00:00Z');
    await addObservation('january', '2026-01-01T10:00:00Z');
    await addObservation('february', '2026-02-01T10:00:00Z');
  });

  afterAll(() => close());

  describe('Prefer: handling', () => {
    it('refuses an unknown parameter by default and under handling=strict (400 naming it)', async () => {
      expectOutcome(await get('/fhir/R4/Patient?colour=red'), 400, 'colour');
      expectOutcome(await get('/fhir/R4/Patient?colour=red', 'handling=strict'), 400, 'colour');
    });

    it('under handling=lenient ignores it, says so in an outcome entry and leaves it out of the links', async () => {
      const { body } = await get('/fhir/R4/Patient?family=took&colour=red', 'handling=lenient').expect(200);
      const [match, outcome] = body.entry as Resource[];
      expect(match.resource.id).toBe(patients.Took);
      expect(outcome.search).toEqual({ mode: 'outcome' });
      expect(outcome.resource.resourceType).toBe('OperationOutcome');
      expect(outcome.resource.issue).toEqual([
        expect.objectContaining({ severity: 'warning', code: 'not-supported', expression: ['colour'] }),
      ]);
      expect(body.link[0].url).toMatch(/\/Patient\?family=took$/);
    });

    it('under handling=lenient still refuses a bad value of a known parameter', async () => {
      expectOutcome(await get('/fhir/R4/Patient?gender=dwarf', 'handling=lenient'), 400, 'gender');
    });

    it('applies to POST _search and to Observation', async () => {
      const { body } = await ctx
        .as()
        .post('/fhir/R4/Patient/_search')
        .set('content-type', FORM)
        .set('prefer', 'handling=lenient')
        .send('family=gamgee&shoe-size=9')
        .expect(200);
      expect((body.entry as Resource[]).map((entry) => entry.search.mode as string)).toEqual([
        'match',
        'outcome',
      ]);
      expectOutcome(
        await ctx.as().post('/fhir/R4/Patient/_search').set('content-type', FORM).send('shoe-size=9'),
        400,
        'shoe-size',
      );
      const observations = await get(
        `/fhir/R4/Observation?patient=${patientId}&colour=red`,
        'handling=lenient',
      );
      expect(observations.status).toBe(200);
      expect(observations.body.entry).toHaveLength(4);
    });
  });

  describe('_total and _summary=count', () => {
    it('_total=accurate counts every match, on every page', async () => {
      const { body } = await get('/fhir/R4/Patient?_total=accurate&_count=2').expect(200);
      expect(body.total).toBe(5);
      expect(body.entry).toHaveLength(2);
      const next = nextOf(body) ?? '';
      expect((await get(next).expect(200)).body.total).toBe(5);
      const results = await get(`/fhir/R4/Observation?patient=${patientId}&_total=accurate&_count=1`).expect(
        200,
      );
      expect(results.body.total).toBe(3);
    });

    it('without _total the total is given only when the first page holds every match; _total=none never', async () => {
      expect((await get('/fhir/R4/Patient?_count=2').expect(200)).body.total).toBeUndefined();
      expect((await get('/fhir/R4/Patient?birthdate=1982').expect(200)).body.total).toBe(2);
      expect(
        (await get('/fhir/R4/Patient?birthdate=1982&_total=none').expect(200)).body.total,
      ).toBeUndefined();
    });

    it('_summary=count answers the total alone, and is in the ledger as a search', async () => {
      const before = await db
        .collection('audit_entries')
        .countDocuments({ action: 'search', resourceType: 'Patient' });
      const { body } = await get('/fhir/R4/Patient?birthdate=1982&_summary=count').expect(200);
      expect(body).toEqual(expect.objectContaining({ resourceType: 'Bundle', type: 'searchset', total: 2 }));
      expect(body.entry).toBeUndefined();
      const entries = await db
        .collection('audit_entries')
        .find({ action: 'search', resourceType: 'Patient' })
        .toArray();
      expect(entries).toHaveLength(before + 1);
      expect(entries.at(-1)).toEqual(expect.objectContaining({ outcome: 200, count: 2 }));
      const results = await get(`/fhir/R4/Observation?patient=${patientId}&_summary=count`).expect(200);
      expect(results.body.total).toBe(3);
      expect(results.body.entry).toBeUndefined();
    });

    it.each([
      ['_summary=text', '_summary'],
      ['_total=roughly', '_total'],
    ])('refuses %s (400)', async (query, param) => {
      expectOutcome(await get(`/fhir/R4/Patient?${query}`), 400, param);
    });
  });

  describe('_sort', () => {
    it.each([
      ['family', ['Baggins', 'Brandybuck', 'Cotton', 'Gamgee', 'Took']],
      ['-family', ['Took', 'Gamgee', 'Cotton', 'Brandybuck', 'Baggins']],
      ['_lastUpdated', ['Cotton', 'Baggins', 'Gamgee', 'Took', 'Brandybuck']],
      ['-_lastUpdated', ['Brandybuck', 'Took', 'Gamgee', 'Baggins', 'Cotton']],
    ])('Patient by %s, paged two at a time', async (sort, expected) => {
      expect(await allPages(`/fhir/R4/Patient?_sort=${sort}&_count=2`, patients)).toEqual(expected);
    });

    it('Patient by -birthdate: a tie is ordered by id, in the same direction', async () => {
      const tied = [patients.Took, patients.Brandybuck]
        .sort()
        .reverse()
        .map((id) => nameOf(patients, id));
      expect(await allPages('/fhir/R4/Patient?_sort=-birthdate&_count=2', patients)).toEqual([
        'Cotton',
        'Gamgee',
        ...tied,
        'Baggins',
      ]);
    });

    it.each([
      ['date', ['january', 'february', 'march']],
      ['-date', ['march', 'february', 'january']],
      ['_lastUpdated', ['march', 'january', 'february']],
      ['-_lastUpdated', ['february', 'january', 'march']],
    ])('Observation by %s, paged one at a time', async (sort, expected) => {
      expect(
        await allPages(`/fhir/R4/Observation?patient=${patientId}&_sort=${sort}&_count=1`, observations),
      ).toEqual(expected);
    });

    it('keeps its place while records are inserted: none repeated, none skipped after the cursor', async () => {
      const inserted = async () => {
        await addPatient('Aardvark', '2000-01-01');
        await addPatient('Zzyzx', '2000-01-01');
      };
      const seen = await allPages('/fhir/R4/Patient?_sort=family&_count=2', patients, inserted);
      expect(seen).toEqual(['Baggins', 'Brandybuck', 'Cotton', 'Gamgee', 'Took', 'Zzyzx']);
    });

    it.each([
      ['Patient?_sort=gender', '_sort'],
      ['Patient?_sort=family,birthdate', '_sort'],
      ['Observation?_sort=code', '_sort'],
      [`Observation?category=survey&_sort=date`, '_sort'],
    ])('refuses %s (400)', async (query, param) => {
      expectOutcome(await get(`/fhir/R4/${query}`), 400, param);
    });

    it('refuses a cursor of another sort (400)', async () => {
      const { body } = await get('/fhir/R4/Patient?_sort=family&_count=1').expect(200);
      const cursor = new URL(nextOf(body) ?? '', 'http://x').searchParams.get('_cursor');
      expectOutcome(await get(`/fhir/R4/Patient?_sort=birthdate&_cursor=${cursor}`), 400, 'cursor');
    });

    /**
     * An index per sort key, led by it: MongoDB walks it in order. DocumentDB 0.106 (FerretDB 2.5) has no
     * ordered index scans: a sort over every record reads the collection and keeps the top page
     * (docs/datastore.md); with a selective condition, that condition's index is read and its matches sorted.
     */
    it.each([
      ['patients', { 'nameNorm.family': 1, _id: 1 }, 'nameNorm.family'],
      ['patients', { birthDate: -1, _id: -1 }, 'birthDate'],
      ['patients', { updatedAt: 1, _id: 1 }, 'updatedAt'],
      ['test_results', { effectiveStart: 1, _id: 1 }, 'effectiveStart'],
    ])('each sort key has an index (%s by %j)', async (collection, _sort, key) => {
      const declared = (await db.collection(collection).indexes()).map(({ key: keys }) => Object.keys(keys));
      expect(declared.some((keys) => keys.filter((field) => field !== 'deleted')[0] === key)).toBe(true);
    });

    it('a sorted search with a condition is served by the condition’s index', async () => {
      const filter = { deleted: false, patientId: 'x' };
      const sort = { updatedAt: -1, _id: -1 } as const;
      const served = await servedByIndex(db.collection('test_results'), filter, sort, (keys) =>
        keys.includes('patientId'),
      );
      expect(served).toBe(true);
    });
  });
});
