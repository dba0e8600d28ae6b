import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';

const PATH = '/fhir/R4/.well-known/smart-configuration';

describe('SMART on FHIR discovery', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await startTestApp({ SMART_CAPABILITIES: 'launch-standalone,client-confidential-asymmetric' });
  });

  afterAll(() => ctx.close());

  it('serves the authorisation endpoints of the trusted issuer, without a token, as JSON', async () => {
    const res = await request(ctx.http).get(PATH).set('accept', 'application/json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const issuer = ctx.issuer.url;
    expect(res.body).toMatchObject({
      issuer,
      jwks_uri: `${issuer}/jwks`,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
      grant_types_supported: ['authorization_code', 'client_credentials'],
      code_challenge_methods_supported: ['S256'],
    });
  });

  it('announces the configured capabilities and the permissions and scopes the server enforces', async () => {
    const { body } = await request(ctx.http).get(PATH).expect(200);
    expect(body.capabilities).toEqual([
      'launch-standalone',
      'client-confidential-asymmetric',
      'permission-patient',
      'permission-user',
      'permission-v1',
      'permission-v2',
    ]);
    expect(body.scopes_supported).toEqual(
      expect.arrayContaining(['patient/Patient.rs', 'user/Patient.cruds']),
    );
  });

  it('names the SMART security service in the CapabilityStatement', async () => {
    const { body } = await request(ctx.http).get('/fhir/R4/metadata').expect(200);
    expect(body.rest[0].security.service[0].coding[0]).toEqual({
      system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
      code: 'SMART-on-FHIR',
    });
  });
});

describe('SMART on FHIR discovery without a usable issuer', () => {
  it('is 404 when no issuer is configured: the server takes no OAuth2 tokens', async () => {
    const ctx = await startTestApp({ OIDC_ISSUER: '' });
    try {
      const res = await request(ctx.http).get(PATH).expect(404);
      expect(res.body.resourceType).toBe('OperationOutcome');
    } finally {
      await ctx.close();
    }
  });

  it('is 503 with Retry-After while the issuer cannot be reached', async () => {
    const ctx = await startTestApp({ OIDC_ISSUER: 'http://127.0.0.1:9' });
    try {
      const res = await request(ctx.http).get(PATH).expect(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.issue[0]).toMatchObject({ severity: 'fatal', code: 'transient' });
    } finally {
      await ctx.close();
    }
  });
});
