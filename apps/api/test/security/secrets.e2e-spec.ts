import { TestDatabase } from '@hdp/testing';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ProbeController } from '../support/probe.controller';
import { startTestApp, TestApp } from '../support/test-app';
import { sharedTestIssuer } from '../support/test-issuer';

describe('Secrets at start-up', () => {
  it('stops the app when a required secret cannot be read, naming the secret', async () => {
    const attempt = startTestApp({ SUBSCRIPTION_KEY_PEPPER: '' });
    await expect(attempt).rejects.toThrow(
      'Secret "subscription-key-pepper" could not be read from env: it does not exist.',
    );
  });
});

describe('Secrets from mounted files, rotated while running', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  const write = (name: string, value: string) => writeFileSync(join(dir, name), `${value}\n`);
  const database = new TestDatabase();
  let ctx: TestApp;

  beforeAll(async () => {
    write('database-uri', database.uri);
    write('subscription-key-pepper', randomBytes(32).toString('hex'));
    write('oidc-issuer', (await sharedTestIssuer()).url);
    write('oidc-audience', 'api://audience-1');
    ctx = await startTestApp(
      { SECRETS_SOURCE: 'files', SECRETS_DIR: dir, SECRETS_REFRESH_MS: '1000' },
      { controllers: [ProbeController] },
    );
  }, 30_000);

  afterAll(async () => {
    await ctx.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts tokens for a rotated audience without a restart, and stops accepting the old one', async () => {
    const token = async (audience: string) => ctx.issuer.sign({ sub: 'u', azp: 'app' }, { audience });
    const call = async (audience: string) =>
      request(ctx.http)
        .get('/probe/whoami')
        .set('authorization', `Bearer ${await token(audience)}`);

    expect((await call('api://audience-1')).status).toBe(200);
    write('oidc-audience', 'api://audience-2');
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect((await call('api://audience-2')).status).toBe(200);
    expect((await call('api://audience-1')).status).toBe(401);
  });
});
