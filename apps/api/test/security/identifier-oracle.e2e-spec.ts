import { Role } from '@hdp/platform';
import { randomUUID } from 'node:crypto';
import { FHIR_JSON } from '../support/fhir-fixtures';
import { fhirPatient, fhirWrites, heartRate } from '../support/fhir-writes';
import { useAuditedApp } from '../support/patients-fixtures';

const LAB = 'urn:example:lab-result';

describe('Identifiers of other patients’ records do not leak to a patient-context token', () => {
  const app = useAuditedApp();
  const { create } = fhirWrites(app);
  let own: string;
  let held: string;

  beforeAll(async () => {
    own = (await create(fhirPatient())).id as string;
    const other = (await create(fhirPatient())).id as string;
    held = randomUUID();
    await create({ ...heartRate(other), identifier: [{ system: LAB, value: held }] });
  });

  const body = (value: string) => JSON.stringify({ ...heartRate(own), identifier: [{ system: LAB, value }] });
  const writes = {
    'conditional update': (as: object, value: string) =>
      app.ctx
        .as(as)
        .put(`/fhir/R4/Observation?identifier=${LAB}|${value}`)
        .set('content-type', FHIR_JSON)
        .send(body(value)),
    'If-None-Exist create': (as: object, value: string) =>
      app.ctx
        .as(as)
        .post('/fhir/R4/Observation')
        .set('content-type', FHIR_JSON)
        .set('if-none-exist', `identifier=${LAB}|${value}`)
        .send(body(value)),
  };
  const callers = {
    'a patient': { roles: [Role.Patient], scopes: ['patient/Observation.cruds'] },
    'a clinician app launched for one patient': {
      roles: [Role.Clinician],
      scopes: ['patient/Observation.cruds'],
    },
  };

  describe.each(Object.entries(callers))('as %s', (_, caller) => {
    it.each(Object.keys(writes) as (keyof typeof writes)[])(
      'answers a %s naming another patient’s identifier as one naming an unused identifier (403), changing nothing',
      async (write) => {
        const as = { ...caller, patientId: own };
        const before = await app.db.collection('test_results').find().toArray();
        const taken = await writes[write](as, held);
        const unused = await writes[write](as, randomUUID());
        expect([taken.status, unused.status]).toEqual([403, 403]);
        expect(taken.body).toEqual({ ...unused.body });
        expect(await app.db.collection('test_results').find().toArray()).toEqual(before);
      },
    );
  });
});
