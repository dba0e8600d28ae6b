import { base64url, SignJWT } from 'jose';
import { createPublicKey } from 'node:crypto';
import request from 'supertest';
import { DEFAULT_PRINCIPAL, startTestApp, TestApp } from '../support/test-app';
import { ProbeController } from '../support/probe.controller';
import { TEST_AUDIENCE } from '../support/test-issuer';
import { TestMetrics } from '../support/test-metrics';

describe('Authentication', () => {
  const meters = new TestMetrics();
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await startTestApp({ OIDC_JWKS_COOLDOWN_MS: '0' }, { controllers: [ProbeController] });
  });

  afterAll(() => ctx.close());

  const claims = { sub: 'user-1', azp: 'ward-app', roles: ['clinician'], scope: 'user/*.rs' };
  const withToken = (token: string) =>
    request(ctx.http).get('/probe/whoami').set('authorization', `Bearer ${token}`);

  async function expectRefused(req: request.Test) {
    const res = await req.expect(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="hdp"/);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    return res;
  }

  it('lets a caller with a valid RS256 token in, as the principal the token names', async () => {
    const res = await withToken(await ctx.issuer.sign(claims)).expect(200);
    expect(res.body.principal).toEqual({
      id: 'user-1',
      clientId: 'ward-app',
      roles: ['clinician'],
      scopes: ['user/*.rs'],
    });
  });

  it('accepts ES256 tokens too', async () => {
    await withToken(await ctx.issuer.sign(claims, { alg: 'ES256' })).expect(200);
  });

  it('refuses a request without credentials, inviting a bearer token', async () => {
    const res = await expectRefused(request(ctx.http).get('/probe/whoami'));
    expect(res.headers['www-authenticate']).toBe('Bearer realm="hdp"');
  });

  it('refuses malformed credentials', async () => {
    await expectRefused(request(ctx.http).get('/probe/whoami').set('authorization', 'Basic dXNlcjpwYXNz'));
    await expectRefused(withToken('not-a-jwt'));
    await expectRefused(withToken('a.b.c'));
  });

  it('refuses a token whose signature was made by another key', async () => {
    const [header, payload] = (await ctx.issuer.sign(claims)).split('.');
    const otherSignature = (await ctx.issuer.sign({ sub: 'someone-else' })).split('.')[2];
    const res = await expectRefused(withToken(`${header}.${payload}.${otherSignature}`));
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('refuses a token from another issuer or for another audience', async () => {
    await expectRefused(withToken(await ctx.issuer.sign(claims, { issuer: 'https://evil.example' })));
    await expectRefused(withToken(await ctx.issuer.sign(claims, { audience: 'api://another-api' })));
  });

  it('refuses an expired token, and one not valid yet, beyond the clock skew', async () => {
    const twoMinutesAgo = Math.floor(Date.now() / 1000) - 120;
    await expectRefused(withToken(await ctx.issuer.sign(claims, { expiresIn: twoMinutesAgo })));
    await expectRefused(withToken(await ctx.issuer.sign(claims, { notBefore: '5m' })));
  });

  it('tolerates a few seconds of clock skew', async () => {
    const fiveSecondsAgo = Math.floor(Date.now() / 1000) - 5;
    await withToken(await ctx.issuer.sign(claims, { expiresIn: fiveSecondsAgo })).expect(200);
  });

  it('refuses an unsigned token (alg none)', async () => {
    const encode = (part: object) => base64url.encode(JSON.stringify(part));
    const now = Math.floor(Date.now() / 1000);
    const body = { ...claims, iss: ctx.issuer.url, aud: TEST_AUDIENCE, exp: now + 600, iat: now };
    await expectRefused(withToken(`${encode({ alg: 'none', typ: 'JWT' })}.${encode(body)}.`));
  });

  it('refuses key confusion: HS256 signed with the issuer public key as the secret', async () => {
    const jwk = ctx.issuer.publicJwk();
    const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: jwk.kid })
      .setIssuer(ctx.issuer.url)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime('5m')
      .sign(Buffer.from(pem));
    await expectRefused(withToken(forged));
  });

  it('refuses a token signed by an unknown key, and accepts it once the issuer publishes the key', async () => {
    const kid = await ctx.issuer.addKey('RS256', false);
    const token = await ctx.issuer.sign(claims, { kid });
    await expectRefused(withToken(token));
    ctx.issuer.publish(kid);
    await withToken(token).expect(200);
  });

  it('verifies a token once and does not fetch the JWKS per request', async () => {
    const token = await ctx.issuer.sign(claims);
    await withToken(token).expect(200);
    const fetches = ctx.issuer.jwksFetches;
    await Promise.all(Array.from({ length: 10 }, () => withToken(token).expect(200)));
    expect(ctx.issuer.jwksFetches).toBe(fetches);
  });

  it('refuses a wrong subscription key', async () => {
    await expectRefused(request(ctx.http).get('/probe/whoami').set('ocp-apim-subscription-key', 'guess'));
    await expectRefused(
      request(ctx.http)
        .get('/probe/whoami')
        .set('ocp-apim-subscription-key', `sub_${'0'.repeat(24)}.${'A'.repeat(43)}`),
    );
  });

  it('never echoes the token in the error body', async () => {
    const token = await ctx.issuer.sign(claims, { audience: 'api://another-api' });
    const res = await expectRefused(withToken(token));
    expect(JSON.stringify(res.body)).not.toContain(token.split('.')[1]);
  });

  it('leaves health, OpenAPI and routes marked @Public() open', async () => {
    await request(ctx.http).get('/health/live').expect(200);
    await request(ctx.http).get('/openapi.json').expect(200);
    await request(ctx.http).get('/probe/public').expect(200);
  });

  it('counts failures by reason', async () => {
    const before = await meters.value('security.authentication.failures', { reason: 'expired-token' });
    const expired = Math.floor(Date.now() / 1000) - 120;
    await expectRefused(withToken(await ctx.issuer.sign(claims, { expiresIn: expired })));
    expect(await meters.value('security.authentication.failures', { reason: 'expired-token' })).toBe(
      before + 1,
    );
    expect(
      await meters.value('security.authentication.failures', { reason: 'missing-credentials' }),
    ).toBeGreaterThan(0);
  });

  it('mints real tokens for ctx.as()', async () => {
    const res = await ctx.as({ patientId: 'p-42' }).get('/probe/whoami').expect(200);
    expect(res.body.principal).toEqual({ ...DEFAULT_PRINCIPAL, patientId: 'p-42' });
  });
});
