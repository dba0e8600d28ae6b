import type { Principal } from '@hdp/platform';
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

/** The ids of a searchset's entries, sorted. */
export const entryIds = (bundle: Resource): string[] =>
  ((bundle.entry ?? []) as Resource[]).map((entry) => entry.resource.id as string).sort();

const COLLECTIONS: Record<string, string> = {
  Patient: 'patients',
  Observation: 'test_results',
  Device: 'devices',
  Encounter: 'encounters',
};

/**
 * FHIR writes as the default clinician (or `as`): `send` a body (with If-Match), `create` one and wait until it
 * settles, `newPatient` for a settled Patient's id.
 */
export function fhirWrites(app: AuditedTestApp) {
  const send = (
    method: 'post' | 'put' | 'patch',
    url: string,
    body: unknown,
    ifMatch?: string,
    as?: Partial<Principal>,
  ) => {
    const req = app.ctx.as(as)[method](url).set('content-type', FHIR_JSON);
    return (ifMatch ? req.set('if-match', ifMatch) : req).send(JSON.stringify(body));
  };
  /** Created, and settled: its audit intent cleared, so a change right after cannot be undone by the clear. */
  const create = async (body: Resource): Promise<Resource> => {
    const type = body.resourceType as string;
    const created = (await send('post', `/fhir/R4/${type}`, body).expect(201)).body as Resource;
    await intentsCleared(app.db, COLLECTIONS[type], created.id as string);
    return created;
  };
  const newPatient = async (): Promise<string> => (await create(fhirPatient())).id as string;
  return { send, create, newPatient };
}

/** fhirWrites for one resource type: `post` (as anyone), `put` by id (with If-Match), `search` (as anyone). */
export function fhirResource(app: AuditedTestApp, type: string) {
  const writes = fhirWrites(app);
  return {
    ...writes,
    post: (body: unknown, as?: Partial<Principal>) =>
      writes.send('post', `/fhir/R4/${type}`, body, undefined, as),
    put: (id: string, body: unknown, ifMatch?: string) =>
      writes.send('put', `/fhir/R4/${type}/${id}`, body, ifMatch),
    search: (query: string, as?: Partial<Principal>) => app.ctx.as(as).get(`/fhir/R4/${type}?${query}`),
  };
}
