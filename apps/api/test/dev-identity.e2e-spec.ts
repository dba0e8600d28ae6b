import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { freePort } from './support/app-process';

const REPO = resolve(__dirname, '..', '..', '..');
const run = promisify(execFile);

/** A command of the repo with NODE_ENV and DATA_DIR as given; resolves whatever its exit code. */
async function repoCommand(
  file: string,
  args: string[],
  env: { NODE_ENV: string; DATA_DIR: string },
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, {
      cwd: REPO,
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the development identity', () => {
  let dataDir: string;
  const token = (NODE_ENV: string) =>
    repoCommand('npm', ['run', '--silent', 'token', '--', '--role', 'clinician', '--scope', 'user/*.*'], {
      NODE_ENV,
      DATA_DIR: dataDir,
    });
  const issuer = (action: 'start' | 'stop', port: number) =>
    repoCommand('bash', ['scripts/dev-identity.sh', action, String(port)], {
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
    });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'hdp-dev-identity-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('npm run token refuses NODE_ENV=production: no token printed, no key made', async () => {
    const result = await token('production');

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('refuses to run with NODE_ENV=production');
    expect(existsSync(join(dataDir, 'dev-identity'))).toBe(false);
  });

  it('the development issuer refuses to start with NODE_ENV=production and serves nothing', async () => {
    const port = await freePort();
    const result = await repoCommand(
      'node',
      ['-r', 'ts-node/register/transpile-only', 'scripts/dev-identity/issuer.ts', String(port)],
      { NODE_ENV: 'production', DATA_DIR: dataDir },
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('refuses to run with NODE_ENV=production');
    await expect(fetch(`http://127.0.0.1:${port}/jwks`)).rejects.toThrow();
  });

  it("in development its tokens verify against the issuer's published keys, also after the issuer restarts", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const verify = async (jwt: string) => {
      const discovery = (await (await fetch(`${url}/.well-known/openid-configuration`)).json()) as {
        issuer: string;
        jwks_uri: string;
      };
      const keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
      return (await jwtVerify(jwt, keys, { issuer: url, audience: 'api://health-data-platform-dev' }))
        .payload;
    };
    try {
      await issuer('start', port);
      const before = await token('development');
      expect(await verify(before.stdout.trim())).toMatchObject({ roles: ['clinician'], scope: 'user/*.*' });

      await issuer('stop', port);
      await issuer('start', port);
      expect(await verify(before.stdout.trim())).toMatchObject({ sub: 'dev-clinician' });
    } finally {
      await issuer('stop', port);
    }
  }, 90_000);
});
