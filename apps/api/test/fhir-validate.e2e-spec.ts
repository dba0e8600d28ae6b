import { expectOutcome, FHIR_JSON } from './support/fhir-fixtures';
import { useAuditedApp, NHS, newNhsNumber } from './support/patients-fixtures';

interface Outcome {
  resourceType: string;
  issue: { severity: string; code: string; expression?: string[] }[];
}

const patient = (overrides: Record<string, unknown> = {}) => ({
  resourceType: 'Patient',
  identifier: [{ system: NHS, value: newNhsNumber() }],
  name: [{ family: 'Took', given: ['Peregrin'] }],
  gender: 'male',
  birthDate: '1990-08-15',
  ...overrides,
});

describe('FHIR $validate', () => {
  const suite = useAuditedApp();

  const validate = (type: string, body: unknown, query = '') =>
    suite.ctx
      .as()
      .post(`/fhir/R4/${type}/$validate${query}`)
      .set('content-type', FHIR_JSON)
      .send(JSON.stringify(body));
  const errorsOf = (outcome: Outcome) =>
    outcome.issue.filter((issue) => issue.severity === 'error').flatMap((issue) => issue.expression ?? []);

  it('answers a valid Patient with an informational outcome, and stores nothing', async () => {
    const before = await suite.db.collection('patients').countDocuments();
    const res = await validate('Patient', patient()).expect(200);
    expect(res.body as Outcome).toEqual({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'information', code: 'informational', diagnostics: 'No issues found.' }],
    });
    expect(await suite.db.collection('patients').countDocuments()).toBe(before);
  });

  it('lists the issues with their expressions (200: the validation ran), as a create refuses them', async () => {
    const bad = patient({ identifier: [{ system: NHS, value: '9434765910' }] });
    const res = await validate('Patient', bad).expect(200);
    const errors = errorsOf(res.body as Outcome);
    expect(errors).toContain('Patient.identifier[0].value');
    expect(JSON.stringify(res.body)).not.toContain('9434765910');
    const created = await suite.ctx
      .as()
      .post('/fhir/R4/Patient')
      .set('content-type', FHIR_JSON)
      .send(JSON.stringify(bad));
    expect(created.status).toBe(422);
  });

  it('takes a Parameters with resource and mode; an update needs the id', async () => {
    const parameters = (mode: string, resource: unknown) => ({
      resourceType: 'Parameters',
      parameter: [
        { name: 'resource', resource },
        { name: 'mode', valueCode: mode },
      ],
    });
    const ok = await validate('Patient', parameters('create', patient())).expect(200);
    expect(errorsOf(ok.body as Outcome)).toEqual([]);
    const update = await validate('Patient', parameters('update', patient())).expect(200);
    expect(errorsOf(update.body as Outcome)).toEqual(['Patient.id']);
    const viaQuery = await validate('Patient', patient({ id: 'a-b' }), '?mode=update').expect(200);
    expect(errorsOf(viaQuery.body as Outcome)).toEqual([]);
  });

  it('validates Observations the same way', async () => {
    const observation = {
      resourceType: 'Observation',
      status: 'done',
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
      subject: { reference: 'Group/1' },
    };
    const res = await validate('Observation', observation).expect(200);
    expect(errorsOf(res.body as Outcome).length).toBeGreaterThan(0);
  });

  it.each([
    ['an unknown mode', patient(), '?mode=delete', 'mode'],
    ['no resource', { resourceType: 'Parameters', parameter: [] }, '', 'resource'],
  ])('400 for %s', async (_story, body, query, expression) => {
    expectOutcome(await validate('Patient', body, query), 400, expression);
  });

  it('400 for malformed JSON; 403 without a write scope', async () => {
    const malformed = await suite.ctx
      .as()
      .post('/fhir/R4/Patient/$validate')
      .set('content-type', FHIR_JSON)
      .send('{"resourceType": "Pat');
    expectOutcome(malformed, 400);
    const reader = suite.ctx.as({ scopes: ['user/Patient.rs'] });
    const denied = await reader
      .post('/fhir/R4/Patient/$validate')
      .set('content-type', FHIR_JSON)
      .send(JSON.stringify(patient()));
    expectOutcome(denied, 403);
  });

  it('is in the ledger as validate, and in the CapabilityStatement', async () => {
    const before = await suite.db.collection('audit_entries').countDocuments({ action: 'validate' });
    await validate('Patient', patient()).expect(200);
    expect(await suite.db.collection('audit_entries').countDocuments({ action: 'validate' })).toBe(
      before + 1,
    );
    const { body } = await suite.ctx.as().get('/fhir/R4/metadata').expect(200);
    const resources = (body as { rest: { resource: { type: string; operation?: unknown[] }[] }[] }).rest[0]
      .resource;
    for (const type of ['Patient', 'Observation'])
      expect(resources.find((resource) => resource.type === type)?.operation).toEqual([
        { name: 'validate', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate' },
      ]);
  });
});
