import { Role } from '@hdp/platform';
import { FHIR_JSON } from '../support/fhir-fixtures';
import { patientBody, resultBody, useAuditedApp } from '../support/patients-fixtures';
import { TestMetrics } from '../support/test-metrics';

const REASON = 'Unconscious patient in A&E, no consent possible';
const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';

describe('Break-glass', () => {
  const app = useAuditedApp();
  const meters = new TestMetrics();
  let patientId: string;
  let resultId: string;

  beforeAll(async () => {
    const patient = await app.ctx.as().post('/api/v1/patients').send(patientBody()).expect(201);
    patientId = patient.body.id;
    const result = await app.ctx
      .as()
      .post(`/api/v1/patients/${patientId}/test-results`)
      .send(resultBody())
      .expect(201);
    resultId = result.body.id;
  });

  const glass = (scopes: string[] = [], extra: object = {}) => {
    const requester = app.ctx.as({ roles: [Role.Clinician], scopes, ...extra });
    return {
      get: (path: string) => requester.get(path).set('x-break-glass-reason', REASON),
      post: (path: string) => requester.post(path).set('x-break-glass-reason', REASON),
      put: (path: string) => requester.put(path).set('x-break-glass-reason', REASON),
      patch: (path: string) => requester.patch(path).set('x-break-glass-reason', REASON),
      delete: (path: string) => requester.delete(path).set('x-break-glass-reason', REASON),
    };
  };

  it.each([
    ['a REST patient', () => `/api/v1/patients/${patientId}`],
    ['that patient’s REST test results', () => `/api/v1/patients/${patientId}/test-results`],
    ['one REST test result', () => `/api/v1/patients/${patientId}/test-results/${resultId}`],
    ['a FHIR Patient', () => `/fhir/R4/Patient/${patientId}`],
    ['a FHIR Patient version', () => `/fhir/R4/Patient/${patientId}/_history/1`],
    ['a FHIR Patient history', () => `/fhir/R4/Patient/${patientId}/_history`],
    ['a FHIR Observation', () => `/fhir/R4/Observation/${resultId}`],
  ])('lets a clinician without scopes read %s, ledgered with the reason and counted', async (_, path) => {
    const entries = () => app.db.collection('audit_entries').countDocuments({ breakGlassReason: REASON });
    const [uses, ledgered] = [await meters.value('security.break_glass.uses'), await entries()];
    await glass().get(path()).expect(200);
    expect(await meters.value('security.break_glass.uses')).toBe(uses + 1);
    expect(await entries()).toBe(ledgered + 1);
  });

  type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
  const observation = { resourceType: 'Observation', id: ':result', status: 'final', code: { text: 'x' } };
  const refused: [string, Method, string, unknown][] = [
    ['searches patients over REST', 'get', '/api/v1/patients?family=Oakenshield', null],
    ['searches Observations over FHIR', 'get', '/fhir/R4/Observation?patient=:patient', null],
    ['creates a REST patient', 'post', '/api/v1/patients', patientBody()],
    ['replaces a REST patient', 'put', '/api/v1/patients/:patient', patientBody()],
    ['merge-patches a REST patient', 'patch', '/api/v1/patients/:patient', { gender: 'female' }],
    ['deletes a REST patient', 'delete', '/api/v1/patients/:patient', null],
    ['records a REST result', 'post', '/api/v1/patients/:patient/test-results', resultBody()],
    ['replaces a REST result', 'put', '/api/v1/patients/:patient/test-results/:result', resultBody()],
    ['deletes a REST result', 'delete', '/api/v1/patients/:patient/test-results/:result', null],
    ['creates a FHIR Patient', 'post', '/fhir/R4/Patient', { resourceType: 'Patient' }],
    ['updates a FHIR Observation', 'put', '/fhir/R4/Observation/:result', observation],
    [
      'patches a FHIR Patient',
      'patch',
      '/fhir/R4/Patient/:patient',
      [{ op: 'add', path: '/gender', value: 'female' }],
    ],
    ['deletes a FHIR Observation', 'delete', '/fhir/R4/Observation/:result', null],
    ['reads the audit API', 'get', '/api/v1/audit-events', null],
    ['reads an admin route', 'get', '/api/v1/admin/subscriptions/sub_000000000000000000000000', null],
  ];
  const withIds = (text: string) => text.replaceAll(':patient', patientId).replaceAll(':result', resultId);

  it.each(refused)(
    'refuses a clinician who %s under break-glass (403), and nothing changes',
    async (_, method, path, body) => {
      const type =
        method !== 'patch' ? 'application/json' : path.startsWith('/fhir') ? JSON_PATCH : MERGE_PATCH;
      // A write is refused even to a clinician whose scopes let them read everything.
      const scopeSets = method === 'get' ? [[]] : [[], ['user/*.read'], ['user/*.rs']];
      for (const scopes of scopeSets) {
        const req = glass(scopes)[method](withIds(path)).set('content-type', type);
        await (body ? req.send(withIds(JSON.stringify(body))) : req).expect(403);
      }
      await app.ctx.as().get(`/api/v1/patients/${patientId}/test-results/${resultId}`).expect(200);
      const stored = await app.ctx.as().get(`/api/v1/patients/${patientId}`).expect(200);
      expect(stored.body.gender).toBe('male');
    },
  );

  it('does not reach into Bundles: a read entry stays forbidden', async () => {
    const res = await glass()
      .post('/fhir/R4')
      .set('content-type', FHIR_JSON)
      .send(
        JSON.stringify({
          resourceType: 'Bundle',
          type: 'batch',
          entry: [{ request: { method: 'GET', url: `Patient/${patientId}` } }],
        }),
      )
      .expect(200);
    expect(res.body.entry[0].response.status).toMatch(/^403/);
  });

  it('never opens for a token with a patient in context, even one holding the clinician role', async () => {
    const before = await meters.value('security.break_glass.uses');
    const inContext = glass(['patient/Patient.rs'], { patientId });
    await inContext.get(`/fhir/R4/Observation/${resultId}`).expect(403);
    await inContext.get(`/api/v1/patients/${patientId}/test-results`).expect(403);
    await inContext
      .put(`/fhir/R4/Observation/${resultId}`)
      .set('content-type', FHIR_JSON)
      .send(
        JSON.stringify({ resourceType: 'Observation', id: resultId, status: 'final', code: { text: 'x' } }),
      )
      .expect(403);
    expect(await meters.value('security.break_glass.uses')).toBe(before);
  });
});
