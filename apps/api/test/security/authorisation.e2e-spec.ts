import { Role } from '@hdp/platform';
import request from 'supertest';
import { ProbeController } from '../support/probe.controller';
import { startTestApp, TestApp } from '../support/test-app';
import { TestMetrics } from '../support/test-metrics';

describe('Authorisation', () => {
  const meters = new TestMetrics();
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await startTestApp({}, { controllers: [ProbeController] });
  });

  afterAll(() => ctx.close());

  it.each([['user/Patient.read'], ['user/Patient.rs'], ['user/*.r'], ['system/Patient.read']])(
    'lets a caller with %s read a patient',
    async (scope) => {
      await ctx
        .as({ scopes: [scope] })
        .get('/probe/patients/p1')
        .expect(200);
    },
  );

  it('refuses a caller whose scopes do not cover the route, with 403 and a problem body', async () => {
    const res = await ctx
      .as({ scopes: ['user/Observation.rs'] })
      .get('/probe/patients/p1')
      .expect(403);
    expect(res.body).toMatchObject({ status: 403, title: 'Forbidden' });
    await ctx
      .as({ scopes: ['user/Patient.read'] })
      .post('/probe/observations')
      .expect(403);
    await ctx
      .as({ scopes: ['system/Observation.write'] })
      .post('/probe/observations')
      .expect(201);
    await ctx
      .as({ scopes: ['user/Observation.c'] })
      .post('/probe/observations')
      .expect(201);
  });

  it('refuses every caller on a route that declares no access rule (fail closed)', async () => {
    await ctx.as().get('/probe/undeclared').expect(403);
    await ctx
      .as({ roles: [Role.Admin], scopes: ['system/*.cruds'] })
      .get('/probe/undeclared')
      .expect(403);
  });

  it('refuses a caller without the role a route demands', async () => {
    await ctx
      .as({ roles: [Role.Clinician] })
      .get('/probe/audit')
      .expect(403);
    await ctx
      .as({ roles: [Role.Auditor] })
      .get('/probe/audit')
      .expect(200);
  });

  it('puts a token patient context into principal.patientId, for the data layer to confine the caller', async () => {
    const principal = { roles: [Role.Patient], scopes: ['patient/Patient.rs'], patientId: 'pat-7' };
    const res = await ctx.as(principal).get('/probe/whoami').expect(200);
    expect(res.body.principal.patientId).toBe('pat-7');
    await ctx.as(principal).get('/probe/patients/pat-7').expect(200);
  });

  it('reads the patient context from a fhirUser claim naming a Patient', async () => {
    const token = await ctx.issuer.sign({
      sub: 'u',
      azp: 'app',
      fhirUser: 'https://ehr.example/fhir/Patient/pat-9',
    });
    const res = await request(ctx.http)
      .get('/probe/whoami')
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(res.body.principal.patientId).toBe('pat-9');
  });

  it('ignores patient/ scopes on a token without patient context', async () => {
    await ctx
      .as({ scopes: ['patient/Patient.rs'] })
      .get('/probe/patients/p1')
      .expect(403);
  });

  describe('break-glass', () => {
    const denied = { roles: [Role.Clinician], scopes: ['user/Observation.rs'] };

    it('lets a clinician override a denial by declaring a reason, recorded in the request context and counted', async () => {
      const before = await meters.value('security.break_glass.uses');
      const res = await ctx
        .as(denied)
        .get('/probe/patients/p1')
        .set('x-break-glass-reason', 'Unconscious patient in A&E, no consent possible')
        .expect(200);
      expect(res.body.breakGlassReason).toBe('Unconscious patient in A&E, no consent possible');
      expect(await meters.value('security.break_glass.uses')).toBe(before + 1);
    });

    it('stays denied without a reason, with an empty one, or for a role that is not clinician', async () => {
      await ctx.as(denied).get('/probe/patients/p1').expect(403);
      await ctx.as(denied).get('/probe/patients/p1').set('x-break-glass-reason', '  ').expect(403);
      await ctx
        .as({ roles: [Role.PartnerSystem], scopes: [] })
        .get('/probe/patients/p1')
        .set('x-break-glass-reason', 'Emergency')
        .expect(403);
    });

    it('does not mark requests that needed no override', async () => {
      const res = await ctx
        .as()
        .get('/probe/patients/p1')
        .set('x-break-glass-reason', 'Emergency')
        .expect(200);
      expect(res.body.breakGlassReason).toBeNull();
    });

    it('opens one record, never a search across patients or a role-only route', async () => {
      const reason = 'Emergency';
      await ctx.as(denied).get('/probe/patients').set('x-break-glass-reason', reason).expect(403);
      await ctx.as(denied).get('/probe/audit').set('x-break-glass-reason', reason).expect(403);
    });

    it('never opens admin operations', async () => {
      await ctx
        .as({ roles: [Role.Clinician] })
        .get('/api/v1/admin/subscriptions/sub_000000000000000000000000')
        .set('x-break-glass-reason', 'Emergency')
        .expect(403);
    });
  });

  it('counts 403s by reason', async () => {
    const before = await meters.value('security.authorisation.denials', { reason: 'scope' });
    await ctx.as({ scopes: [] }).get('/probe/patients/p1').expect(403);
    expect(await meters.value('security.authorisation.denials', { reason: 'scope' })).toBe(before + 1);
  });
});

describe('Admin network allow-list', () => {
  const admin = { roles: [Role.Admin], scopes: [] };
  const route = '/api/v1/admin/subscriptions/sub_000000000000000000000000';
  let direct: TestApp;
  let proxied: TestApp;

  beforeAll(async () => {
    direct = await startTestApp({ ADMIN_ALLOWED_CIDRS: '10.0.0.0/8' });
    proxied = await startTestApp({
      TRUSTED_PROXIES: '127.0.0.1/32,::1/128',
      ADMIN_ALLOWED_CIDRS: '203.0.113.0/24,2001:db8::/32',
    });
  });

  afterAll(async () => {
    await direct.close();
    await proxied.close();
  });

  it('refuses an admin outside the allowed networks', async () => {
    await direct.as(admin).get(route).expect(403);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    await direct.as(admin).get(route).set('x-forwarded-for', '10.1.2.3').expect(403);
  });

  it('believes X-Forwarded-For from a trusted proxy, for IPv4 and IPv6 clients', async () => {
    await proxied.as(admin).get(route).set('x-forwarded-for', '203.0.113.7').expect(404);
    await proxied.as(admin).get(route).set('x-forwarded-for', '2001:db8::5').expect(404);
    await proxied.as(admin).get(route).set('x-forwarded-for', '198.51.100.1').expect(403);
    await proxied.as(admin).get(route).set('x-forwarded-for', '2001:db9::5').expect(403);
  });

  it('takes the address the trusted proxy saw, not one the client wrote before it', async () => {
    await proxied.as(admin).get(route).set('x-forwarded-for', '203.0.113.7, 198.51.100.1').expect(403);
  });
});
