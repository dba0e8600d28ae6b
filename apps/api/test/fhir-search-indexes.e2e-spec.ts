import type { CapabilityStatement } from 'fhir/r4';
import { Role } from '@hdp/platform';
import { explainFind, QueryPlan, recordSentFinds, SentFind } from './support/query-plans';
import { patientBody, useAuditedApp } from './support/patients-fixtures';

const AUDITOR = {
  id: 'auditor-1',
  clientId: 'audit-app',
  roles: [Role.Auditor],
  scopes: ['user/AuditEvent.rs'],
};
/** Stands for a live patient's id in the searches below (DocumentReference searches need one). */
const ID = '{patient}';
const NHS = encodeURIComponent('https://fhir.nhs.uk/Id/nhs-number|9434765919');

/**
 * One FHIR search and what the store does with it.
 * - `key`: the stored field the parameter is answered by.
 * - `pushedDown`: FerretDB 1.24 hands the condition on `key` to PostgreSQL (a top-level equality); otherwise
 *   FerretDB evaluates it on every document PostgreSQL returns.
 * - `index`: the leading key (after `deleted`) of the declared index MongoDB and Cosmos DB serve it from.
 */
interface Case {
  readonly search: string;
  readonly collection: string;
  readonly key: string;
  readonly pushedDown: boolean;
  readonly index: string;
}

/** Cases of one resource type, whose searches read `collection`. */
const searchesOf =
  (type: string, collection: string) =>
  (query: string, key: string, pushedDown: boolean, index = key): Case => ({
    search: `${type}?${query}`,
    collection,
    key,
    pushedDown,
    index,
  });
const patient = searchesOf('Patient', 'patients');
const observation = searchesOf('Observation', 'test_results');
const encounter = searchesOf('Encounter', 'encounters');
const device = searchesOf('Device', 'devices');
const documentReference = searchesOf('DocumentReference', 'patient_documents');
const medicationStatement = searchesOf('MedicationStatement', 'patient_reported_records');
const auditEvent = searchesOf('AuditEvent', 'audit_entries');

const CASES: readonly Case[] = [
  patient(`_id=${ID}`, '_id', true),
  patient(`identifier=${NHS}`, 'identifierKeys', true),
  patient('identifier=%7C9434765919', 'identifierKeys', true),
  patient('identifier=9434765919', 'identifier.value', false),
  patient('name=smi', 'familyPrefixes', false),
  patient('family=smi', 'familyPrefixes', true),
  patient('given=jo', 'givenPrefixes', true),
  patient('family:exact=Smith', 'familyPrefixes', true),
  patient('given:exact=John', 'givenPrefixes', true),
  // No index serves a match anywhere in a string: each id bucket of the page is scanned.
  patient('family:contains=mit', 'nameNorm.family', false, '_id'),
  patient('given:contains=oh', 'nameNorm.given', false, '_id'),
  patient('birthdate=1970-01-01', 'birthDate', false),
  patient('birthdate=ge1970', 'birthDate', false),
  patient('gender=female', 'gender', true),
  patient('_lastUpdated=ge2026-01-01', 'updatedAt', false),
  observation(`subject=Patient/${ID}`, 'patientId', true),
  observation(`patient=${ID}`, 'patientId', true),
  observation(`code=${encodeURIComponent('http://loinc.org|8867-4')}`, 'codeTokens', true),
  observation('category=vital-signs', 'categoryTokens', true),
  observation('status=final', 'status', true),
  observation('device=Device/monitor-7', 'device', true),
  observation('date=2026-01-01', 'effectiveStart', false),
  observation('date=lt2026-01-01', 'effectiveStart', false),
  observation('date=ge2026-01-01', 'effectiveEnd', false),
  observation('_lastUpdated=ge2026-01-01', 'updatedAt', false),
  observation('value-quantity=gt100', 'observation.valueQuantity.value', false),
  // `:not` excludes values: the newest-first index serves the order and the condition is checked per result.
  observation('code:not=8867-4', 'codeTokens', false, 'effectiveStart'),
  observation('category:missing=true', 'categoryTokens', false),
  observation('device:missing=false', 'device', false),
  // The chain resolves the patient by identifier first (an audited Patient search).
  searchesOf('Observation', 'patients')(`subject:Patient.identifier=${NHS}`, 'identifierKeys', true),
  encounter(`identifier=${encodeURIComponent('urn:example:visits|v-1')}`, 'identifierKeys', true),
  encounter(`patient=${ID}`, 'patientId', true),
  encounter(`subject=Patient/${ID}`, 'patientId', true),
  encounter('status=finished', 'status', true),
  encounter('class=AMB', 'classTokens', true),
  encounter('date=2026-01-01', 'periodStart', false),
  encounter('date=lt2026-01-01', 'periodStart', false),
  encounter('date=ge2026-01-01', 'periodEnd', false),
  documentReference(`patient=${ID}`, 'patientId', true),
  documentReference(`subject=Patient/${ID}`, 'patientId', true),
  medicationStatement(`patient=${ID}`, 'patientId', true),
  medicationStatement(`subject=Patient/${ID}`, 'patientId', true),
  device(`identifier=${encodeURIComponent('urn:example:devices|monitor-7')}`, 'identifierKeys', true),
  device(`patient=${ID}`, 'patientId', true),
  auditEvent(`patient=${ID}`, 'patientId', true),
  auditEvent('agent=user-clinician-1', 'actor.id', false),
  auditEvent('date=ge2026-01-01', 'at', false),
  auditEvent('action=C', 'action', true),
  // R stands for several ledger actions (read, vread, history): `$in`, which FerretDB does not push down.
  auditEvent('action=R', 'action', false),
  // Outcome is a range of status codes: the ledger's time index serves the order, the range is checked per entry.
  auditEvent('outcome=4', 'outcome', false, 'at'),
];

/** The fields a filter puts conditions on, at any depth of `$and`/`$or`. */
function conditionFields(filter: Record<string, unknown>): string[] {
  return Object.entries(filter).flatMap(([field, value]) =>
    field === '$and' || field === '$or'
      ? (value as Record<string, unknown>[]).flatMap(conditionFields)
      : [field],
  );
}

/** An index whose keys, after a leading `deleted`, start with `lead`. */
const ledBy = (keys: string[], lead: string) => (keys[0] === 'deleted' ? keys[1] : keys[0]) === lead;

/** A search's own finds: the audit recovery sweeps run on a timer and may fall inside any request. */
const isSweep = ({ filter }: SentFind) => 'auditOutbox.at' in filter || 'pending' in filter;

describe('Every FHIR search parameter, as the store sends it, explained by the engine', () => {
  const app = useAuditedApp();
  const sent = recordSentFinds();
  let patientId: string;

  beforeAll(async () => {
    patientId = (await app.ctx.as().post('/api/v1/patients').send(patientBody()).expect(201)).body.id;
  });

  it('covers every search parameter the CapabilityStatement declares', async () => {
    const statement = (await app.ctx.as().get('/fhir/R4/metadata').expect(200)).body as CapabilityStatement;
    const declared = (statement.rest?.[0].resource ?? []).flatMap(({ type, searchParam = [] }) =>
      searchParam.map(({ name }) => `${type}?${name}`),
    );
    const covered = new Set(CASES.map(({ search }) => search.split(/[=:]/)[0]));
    expect(declared.filter((param) => !covered.has(param))).toEqual([]);
  });

  describe.each(CASES)('$search', ({ search, collection, key, pushedDown, index }) => {
    let finds: SentFind[];
    let plans: QueryPlan[];

    beforeAll(async () => {
      const caller = search.startsWith('AuditEvent') ? AUDITOR : {};
      await app.ctx
        .as(caller)
        .get(`/fhir/R4/${search.replace(ID, patientId)}`)
        .expect(200);
      finds = sent.filter((find) => find.collection === collection && !isSweep(find));
      plans = await Promise.all(finds.map((find) => explainFind(app.db, find)));
    });

    it(`sends conditions on ${key}`, () => {
      expect(finds.length).toBeGreaterThan(0);
      for (const { filter } of finds) expect(conditionFields(filter)).toContain(key);
    });

    it(`is served from an index led by ${index} (MongoDB: the winning plan; FerretDB: the declared indexes)`, async () => {
      const declared = (await app.db.collection(collection).indexes()).map((spec) => Object.keys(spec.key));
      expect(declared.some((keys) => ledBy(keys, index))).toBe(true);
      for (const [n, plan] of plans.entries()) {
        expect(conditionFields(finds[n].filter).concat(Object.keys(finds[n].options.sort ?? {}))).toContain(
          index,
        );
        if (plan.engine !== 'mongodb') continue;
        expect(plan.stages).not.toContain('COLLSCAN');
        expect(plan.indexKeys.some((keys) => ledBy(keys, index))).toBe(true);
      }
    });

    it(`on FerretDB: a PostgreSQL sequential scan, ${pushedDown ? 'filtered by' : 'not filtered by'} ${key}`, () => {
      for (const plan of plans) {
        if (plan.engine !== 'ferretdb') continue;
        expect(plan.nodes).toEqual(['Seq Scan']);
        expect(plan.pushedFields.includes(key)).toBe(pushedDown);
      }
    });
  });
});
