import { randomUUID } from 'node:crypto';
import { Client } from 'fhir-kit-client';
import { fhirPatient, heartRate, Resource } from './support/fhir-writes';
import { freePort } from './support/app-process';
import { AuditedTestApp, startAuditedApp } from './support/patients-fixtures';
import { DEFAULT_PRINCIPAL } from './support/test-app';

const RESULTS = 5;

/** A resource as the library's parameters type it. */
const body = (resource: Resource) => resource as Parameters<Client['create']>[0]['body'];

/**
 * The server driven by a widely used FHIR client library (fhir-kit-client) over real HTTP, as a partner's
 * application would drive it: what the library sends and expects is what the server must speak.
 */
describe('FHIR R4 with fhir-kit-client', () => {
  let app: AuditedTestApp;
  let client: Client;

  beforeAll(async () => {
    // The links the library follows are built from PUBLIC_BASE_URL: the address it is served at.
    const port = await freePort();
    app = await startAuditedApp({ PUBLIC_BASE_URL: `http://127.0.0.1:${port}` });
    await app.ctx.app.listen(port, '127.0.0.1');
    client = new Client({
      baseUrl: `http://127.0.0.1:${port}/fhir/R4`,
      bearerToken: await app.ctx.issuer.tokenFor(DEFAULT_PRINCIPAL),
    });
  });

  afterAll(() => app.close());

  const asResource = (value: unknown) => value as Resource;

  it('creates a Patient and reads it back with the id and version the server assigned', async () => {
    const created = asResource(
      await client.create({ resourceType: 'Patient', body: body(fhirPatient('Gardner')) }),
    );
    expect(created).toMatchObject({ resourceType: 'Patient', meta: { versionId: '1' } });
    const read = asResource(await client.read({ resourceType: 'Patient', id: created.id as string }));
    expect(read).toEqual(created);
  });

  it('searches with paging: nextPage follows the next links until every match is seen, each once', async () => {
    const patient = asResource(await client.create({ resourceType: 'Patient', body: body(fhirPatient()) }));
    const ids = new Set<string>();
    for (let reading = 0; reading < RESULTS; reading++) {
      const result = asResource(
        await client.create({ resourceType: 'Observation', body: body(heartRate(patient.id, 60 + reading)) }),
      );
      ids.add(result.id as string);
    }
    const seen: string[] = [];
    let page: Resource | undefined = asResource(
      await client.search({
        resourceType: 'Observation',
        searchParams: { subject: `Patient/${patient.id}`, _count: 2 },
      }),
    );
    let pages = 0;
    while (page) {
      pages++;
      seen.push(...((page.entry ?? []) as Resource[]).map((entry) => entry.resource.id as string));
      const next = client.nextPage({ bundle: page as never });
      page = next && asResource(await next);
    }
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('posts a transaction whose Observation refers to its Patient by urn:uuid', async () => {
    const patientUrl = `urn:uuid:${randomUUID()}`;
    const response = asResource(
      await client.transaction({
        body: {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            {
              fullUrl: patientUrl,
              resource: fhirPatient('Cotton'),
              request: { method: 'POST', url: 'Patient' },
            },
            {
              resource: { ...heartRate('x'), subject: { reference: patientUrl } },
              request: { method: 'POST', url: 'Observation' },
            },
          ],
        },
      }),
    );
    expect(response.type).toBe('transaction-response');
    const [patient, observation] = (response.entry as Resource[]).map((entry) => entry.resource as Resource);
    const read = asResource(await client.read({ resourceType: 'Observation', id: observation.id as string }));
    expect(read.subject).toEqual({ reference: `Patient/${patient.id}` });
  });

  it('updates with If-Match and reads the history, newest first', async () => {
    const created = asResource(
      await client.create({ resourceType: 'Patient', body: body(fhirPatient('Proudfoot')) }),
    );
    const updated = asResource(
      await client.update({
        resourceType: 'Patient',
        id: created.id as string,
        body: body({ ...created, name: [{ family: 'Proudfeet' }] }),
        options: { headers: { 'If-Match': 'W/"1"' } },
      }),
    );
    expect(updated).toMatchObject({ meta: { versionId: '2' } });
    const history = asResource(await client.history({ resourceType: 'Patient', id: created.id as string }));
    expect(history.type).toBe('history');
    const versions = (history.entry as Resource[]).map((entry) => entry.response.etag as string);
    expect(versions).toEqual(['W/"2"', 'W/"1"']);
    const typeHistory = asResource(await client.history({ resourceType: 'Patient' }));
    expect((typeHistory.entry as Resource[]).length).toBeGreaterThanOrEqual(4);
  });

  it('gets the server’s errors as OperationOutcomes through the library', async () => {
    const failure = client.read({ resourceType: 'Patient', id: randomUUID() });
    await expect(failure).rejects.toMatchObject({
      response: { status: 404, data: { resourceType: 'OperationOutcome' } },
    });
  });
});
