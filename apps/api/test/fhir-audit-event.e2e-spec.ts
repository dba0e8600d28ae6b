/* eslint-disable @typescript-eslint/no-unsafe-call -- supertest gives untyped bodies */
import type { AuditEvent, Bundle } from 'fhir/r4';
import { Role } from '@hdp/platform';
import { FHIR_JSON, fixture } from './support/fhir-fixtures';
import { TestApp } from './support/test-app';
import { patientBody, startAuditedApp } from './support/patients-fixtures';
import { Db } from 'mongodb';

const AUDITOR = {
  id: 'auditor-1',
  clientId: 'audit-app',
  roles: [Role.Auditor],
  scopes: ['user/AuditEvent.rs'],
};

describe('FHIR AuditEvent: the ledger, read-only, for auditors', () => {
  let ctx: TestApp;
  let db: Db;
  let close: () => Promise<void>;
  let patientId: string;

  beforeAll(async () => {
    ({ ctx, db, close } = await startAuditedApp());
    patientId = (await ctx.as().post('/api/v1/patients').send(patientBody()).expect(201)).body.id;
    await ctx.as().get(`/api/v1/patients/${patientId}`).expect(200);
    await ctx.as().get(`/fhir/R4/Patient/${patientId}`).expect(200);
    await ctx
      .as({ id: 'nosy-1', roles: [Role.Clinician], scopes: [] })
      .get(`/api/v1/patients/${patientId}`)
      .expect(403);
    // A denial is entered after its response is sent: wait for all four entries before searching them.
    const entries = () => db.collection('audit_entries').countDocuments({ patientId });
    for (let waited = 0; (await entries()) < 4 && waited < 5000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
  });

  afterAll(() => close());

  const search = async (query: string) =>
    (await ctx.as(AUDITOR).get(`/fhir/R4/AuditEvent?${query}`).expect(200)).body as Bundle;
  const events = (bundle: Bundle) => (bundle.entry ?? []).map((entry) => entry.resource as AuditEvent);

  it('refuses the official HL7 AuditEvent example: the ledger is written by the server, never posted', async () => {
    const before = await db.collection('audit_entries').countDocuments({ resourceType: 'AuditEvent' });
    const res = await ctx
      .as(AUDITOR)
      .post('/fhir/R4/AuditEvent')
      .set('content-type', FHIR_JSON)
      .send(JSON.stringify(fixture('auditevent-example.json')));
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
    expect(await db.collection('audit_entries').countDocuments({ resourceType: 'AuditEvent' })).toBe(before);
  });

  it("finds a patient's entries as AuditEvents: who, what, when, outcome, and no clinical data", async () => {
    const bundle = await search(`patient=Patient/${patientId}`);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    const found = events(bundle);
    expect(found.map((event) => event.action)).toEqual(['R', 'R', 'R', 'C']);
    const create = found[3];
    expect(create).toMatchObject({
      resourceType: 'AuditEvent',
      type: { code: 'rest' },
      subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'create' }],
      outcome: '0',
      outcomeDesc: 'HTTP 201',
      agent: [
        {
          who: { identifier: { value: 'user-clinician-1' } },
          altId: 'client-ward-app',
          requestor: true,
          role: [{ text: 'clinician' }],
        },
      ],
      source: { observer: { display: 'health-data-platform' } },
    });
    expect(create.entity).toEqual(
      expect.arrayContaining([expect.objectContaining({ what: { reference: `Patient/${patientId}` } })]),
    );
    expect(new Date(create.recorded).getTime()).toBeLessThanOrEqual(Date.now());
    expect(JSON.stringify(bundle)).not.toMatch(/Oakenshield|Thorin|1946/);
  });

  // Each auditor search names the patient, so it is itself an entry about that patient.
  it('filters by action, outcome, agent and date range', async () => {
    const reads = events(await search(`patient=${patientId}&action=R`));
    expect(reads.every((event) => event.action === 'R')).toBe(true);
    expect(events(await search(`patient=${patientId}&action=C`))).toHaveLength(1);
    const denied = events(await search(`patient=${patientId}&outcome=4`));
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({
      outcomeDesc: 'HTTP 403',
      agent: [{ who: { identifier: { value: 'nosy-1' } } }],
    });
    expect(events(await search(`patient=${patientId}&agent=nosy-1`))).toHaveLength(1);
    const today = new Date().toISOString().slice(0, 10);
    const clinician = `patient=${patientId}&agent=user-clinician-1`;
    expect(events(await search(`${clinician}&date=${today}`))).toHaveLength(3);
    expect(events(await search(`${clinician}&date=ge${today}&date=lt2000-01-01`))).toHaveLength(0);
    expect(events(await search(`${clinician}&date=lt2000`))).toHaveLength(0);
  });

  it('pages with next links and reads one event by id', async () => {
    const first = await search(`patient=${patientId}&agent=user-clinician-1&_count=2`);
    expect(events(first)).toHaveLength(2);
    const next = first.link?.find((link) => link.relation === 'next')?.url;
    expect(next).toBeDefined();
    const second = (
      await ctx
        .as(AUDITOR)
        .get(new URL(next!).pathname + new URL(next!).search)
        .expect(200)
    ).body as Bundle;
    expect(events(second)).toHaveLength(1);
    const [event] = events(second);
    const read = await ctx.as(AUDITOR).get(`/fhir/R4/AuditEvent/${event.id}`).expect(200);
    expect(read.body).toEqual(event);
    await ctx.as(AUDITOR).get('/fhir/R4/AuditEvent/0f8fad5b-d9cb-469f-a165-70867728950e').expect(404);
  });

  it('is for auditors only, refuses unknown parameters, and audits the auditors', async () => {
    const refused = await ctx
      .as({ scopes: ['user/*.cruds'] })
      .get('/fhir/R4/AuditEvent')
      .expect(403);
    expect(refused.body.resourceType).toBe('OperationOutcome');
    const bad = await ctx.as(AUDITOR).get('/fhir/R4/AuditEvent?colour=blue').expect(400);
    expect(bad.body.issue[0].expression).toEqual(['colour']);
    await ctx.as(AUDITOR).get('/fhir/R4/AuditEvent?action=X').expect(400);
    expect(
      await db
        .collection('audit_entries')
        .countDocuments({ 'actor.id': 'auditor-1', resourceType: 'AuditEvent' }),
    ).toBeGreaterThanOrEqual(5);
  });

  it('is listed in the CapabilityStatement as read and search', async () => {
    const { body } = await ctx.as().get('/fhir/R4/metadata').expect(200);
    const auditEvent = body.rest[0].resource.find((r: { type: string }) => r.type === 'AuditEvent');
    expect(auditEvent.interaction.map((i: { code: string }) => i.code).sort()).toEqual([
      'read',
      'search-type',
    ]);
    expect(auditEvent.searchParam.map((p: { name: string }) => p.name)).toEqual([
      'patient',
      'agent',
      'date',
      'action',
      'outcome',
    ]);
  });
});
