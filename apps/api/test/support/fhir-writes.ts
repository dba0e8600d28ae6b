import { FHIR_JSON } from './fhir-fixtures';
import { intentsCleared } from './intents';
import { AuditedTestApp, NHS, newNhsNumber } from './patients-fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- FHIR JSON as the tests send and read it
export type Resource = Record<string, any>;

/** A minimal valid FHIR Patient with a fresh NHS number. */
export const fhirPatient = (family = 'Oakenshield'): Resource => ({
  resourceType: 'Patient',
  identifier: [{ system: NHS, value: newNhsNumber() }],
  name: [{ family, given: ['Thorin'] }],
  gender: 'male',
  birthDate: '1946-04-09',
});

/** A heart-rate Observation about `patientId`. */
export const heartRate = (patientId: string, value = 72): Resource => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
  subject: { reference: `Patient/${patientId}` },
  effectiveDateTime: '2026-03-01T10:00:00Z',
  valueQuantity: { value, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
});

const COLLECTIONS: Record<string, string> = { Patient: 'patients', Observation: 'test_results' };

/** FHIR writes as the default clinician: `send` a body (with If-Match), `create` one and wait until it settles. */
export function fhirWrites(app: AuditedTestApp) {
  const send = (method: 'post' | 'put' | 'patch', url: string, body: unknown, ifMatch?: string) => {
    const req = app.ctx.as()[method](url).set('content-type', FHIR_JSON);
    return (ifMatch ? req.set('if-match', ifMatch) : req).send(JSON.stringify(body));
  };
  /** Created, and settled: its audit intent cleared, so a change right after cannot be undone by the clear. */
  const create = async (body: Resource): Promise<Resource> => {
    const type = body.resourceType as string;
    const created = (await send('post', `/fhir/R4/${type}`, body).expect(201)).body as Resource;
    await intentsCleared(app.db, COLLECTIONS[type], created.id as string);
    return created;
  };
  return { send, create };
}
