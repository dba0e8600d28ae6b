import { randomUUID } from 'node:crypto';
import { expectOutcome, FHIR_JSON } from './support/fhir-fixtures';
import { fhirPatient, fhirWrites, heartRate, Resource } from './support/fhir-writes';
import { useAuditedApp } from './support/patients-fixtures';

const LAB = 'urn:example:lab-result';

describe('FHIR R4 Observation conditional create (If-None-Exist)', () => {
  const app = useAuditedApp();
  const { create } = fhirWrites(app);

  const identifier = () => ({ system: LAB, value: randomUUID() });
  const conditional = (body: Resource, criterion: { system: string; value: string }) =>
    app.ctx
      .as()
      .post('/fhir/R4/Observation')
      .set('content-type', FHIR_JSON)
      .set('if-none-exist', `identifier=${criterion.system}|${criterion.value}`)
      .send(JSON.stringify(body));
  const stored = (patientId: string) =>
    app.db.collection('test_results').countDocuments({ patientId, deleted: false });

  it('creates when none holds the identifier (201), then answers 200 with that one and creates nothing', async () => {
    const subject = await create(fhirPatient());
    const id = identifier();
    const first = await conditional({ ...heartRate(subject.id), identifier: [id] }, id).expect(201);
    expect(first.headers.location).toBe(`/fhir/R4/Observation/${first.body.id}/_history/1`);
    const again = await conditional({ ...heartRate(subject.id, 99), identifier: [id] }, id).expect(200);
    expect(again.body).toMatchObject({ id: first.body.id, valueQuantity: { value: 72 } });
    expect(await stored(subject.id)).toBe(1);
  });

  it('of ten parallel creates with one identifier, one creates (201) and nine answer with it (200)', async () => {
    const subject = await create(fhirPatient());
    const id = identifier();
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        conditional({ ...heartRate(subject.id, 60 + i), identifier: [id] }, id),
      ),
    );
    expect(responses.map((res) => res.status).sort()).toEqual([
      200, 200, 200, 200, 200, 200, 200, 200, 200, 201,
    ]);
    expect(new Set(responses.map((res) => (res.body as Resource).id as string)).size).toBe(1);
    expect(await stored(subject.id)).toBe(1);
  });

  it('412 when several hold the identifier; 422 when the resource does not carry it first; 400 for other criteria', async () => {
    const subject = await create(fhirPatient());
    const shared = identifier();
    await create({ ...heartRate(subject.id), identifier: [identifier(), shared] });
    await create({ ...heartRate(subject.id), identifier: [identifier(), shared] });
    expectOutcome(await conditional({ ...heartRate(subject.id), identifier: [shared] }, shared), 412);
    const id = identifier();
    expectOutcome(
      await conditional({ ...heartRate(subject.id), identifier: [identifier(), id] }, id),
      422,
      'Observation.identifier[0]',
    );
    const byCode = await app.ctx
      .as()
      .post('/fhir/R4/Observation')
      .set('content-type', FHIR_JSON)
      .set('if-none-exist', 'code=8867-4')
      .send(JSON.stringify(heartRate(subject.id)));
    expectOutcome(byCode, 400);
    expect(await stored(subject.id)).toBe(2);
  });
});
