import { FHIR_JSON } from '../support/fhir-fixtures';
import { fhirPatient } from '../support/fhir-writes';
import { useAuditedApp } from '../support/patients-fixtures';

const BASE = 'https://hdp.internal.example';

interface SearchSet {
  link: { relation: string; url: string }[];
  entry: { fullUrl: string }[];
}

describe('Absolute URLs under a poisoned Host header', () => {
  const app = useAuditedApp({ PUBLIC_BASE_URL: BASE, TRUSTED_PROXIES: '127.0.0.1/32,::1/128' });
  const poisoned = {
    host: 'evil.example.com',
    'x-forwarded-host': 'evil.example.com',
    'x-forwarded-proto': 'http',
  };

  beforeAll(async () => {
    for (const family of ['Hostley', 'Hostley']) {
      await app.ctx
        .as()
        .post('/fhir/R4/Patient')
        .set('content-type', FHIR_JSON)
        .send(JSON.stringify(fhirPatient(family)))
        .expect(201);
    }
  });

  /** Every absolute URL in a body. */
  const urlsIn = (body: unknown): string[] => JSON.stringify(body).match(/https?:\/\/[^"\\]+/g) ?? [];

  it('builds search links and fullUrls from PUBLIC_BASE_URL, never from Host or X-Forwarded-Host', async () => {
    const res = await app.ctx.as().get('/fhir/R4/Patient?family=Hostley&_count=1').set(poisoned).expect(200);
    const body = res.body as SearchSet;
    const links = body.link.map((link) => link.url);
    expect(links).toEqual(expect.arrayContaining([expect.stringMatching(/\/fhir\/R4\/Patient\?/)]));
    expect(body.link.find((link) => link.relation === 'next')).toBeDefined();
    const built = [...links, ...body.entry.map((entry) => entry.fullUrl)];
    for (const url of built) expect(url.startsWith(`${BASE}/fhir/R4/`)).toBe(true);
    expect(JSON.stringify(res.body)).not.toContain('evil.example.com');
  });

  it('answers Bundle entries with fullUrls on the configured base', async () => {
    const res = await app.ctx
      .as()
      .post('/fhir/R4')
      .set(poisoned)
      .set('content-type', FHIR_JSON)
      .send(
        JSON.stringify({
          resourceType: 'Bundle',
          type: 'batch',
          entry: [{ request: { method: 'GET', url: 'Patient?family=Hostley' } }],
        }),
      )
      .expect(200);
    expect(urlsIn(res.body).filter((url) => url.includes('/fhir/R4/')).length).toBeGreaterThan(0);
    expect(JSON.stringify(res.body)).not.toContain('evil.example.com');
  });
});
