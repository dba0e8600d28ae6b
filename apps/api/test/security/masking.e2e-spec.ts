import { Role } from '@hdp/platform';
import { ProbeController } from '../support/probe.controller';
import { startTestApp, TestApp } from '../support/test-app';

describe('PHI masking', () => {
  let ctx: TestApp;
  const partner = { roles: [Role.PartnerSystem], scopes: ['system/Patient.rs'] };

  beforeAll(async () => {
    ctx = await startTestApp(
      {
        PHI_REDACTIONS: JSON.stringify({
          'partner-system': { fields: ['note'], extensions: ['https://example.org/ethnic-category'] },
          auditor: { fields: ['note'] },
        }),
      },
      { controllers: [ProbeController] },
    );
  });

  afterAll(() => ctx.close());

  it('shows a clinician the national identifier and the whole record', async () => {
    const res = await ctx.as().get('/probe/patients/p1').expect(200);
    expect(res.body.identifier[0].value).toBe('9434765919');
    expect(res.body.note).toBeDefined();
    expect(res.body.extension).toHaveLength(2);
  });

  it('masks the national identifier for a caller without the permission, keeping local identifiers', async () => {
    const res = await ctx.as(partner).get('/probe/patients/p1').expect(200);
    expect(res.body.identifier).toEqual([
      { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '*******919' },
      { system: 'urn:hospital:mrn', value: 'MRN-000123' },
    ]);
    expect(JSON.stringify(res.body)).not.toContain('9434765919');
  });

  it('removes the fields and extensions configured for the caller role', async () => {
    const res = await ctx.as(partner).get('/probe/patients/p1').expect(200);
    expect(res.body.note).toBeUndefined();
    expect(res.body.extension).toEqual([
      { url: 'https://example.org/interpreter-required', valueBoolean: false },
    ]);
    expect(res.body.name).toEqual([{ family: 'Oakenshield', given: ['Thorin'] }]);
  });

  it('shapes every resource of a search result', async () => {
    const res = await ctx.as(partner).get('/probe/patients').expect(200);
    expect(res.body.entry).toHaveLength(2);
    expect(JSON.stringify(res.body)).not.toContain('9434765919');
    expect(JSON.stringify(res.body)).not.toContain('Free text');
  });

  it('keeps for a caller with several roles what any of its roles may see', async () => {
    const res = await ctx
      .as({ roles: [Role.PartnerSystem, Role.Auditor], scopes: ['system/Patient.rs'] })
      .get('/probe/patients/p1')
      .expect(200);
    expect(res.body.note).toBeUndefined();
    expect(res.body.extension).toHaveLength(2);
  });
});
