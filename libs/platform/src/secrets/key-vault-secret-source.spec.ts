import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyVaultSecretSource } from './key-vault-secret-source';
import { SecretsService } from './secrets.service';

/** A credential standing in for workload identity: hands out one token and records what was asked. */
class TestCredential implements TokenCredential {
  readonly requests: { scopes: string[]; tenantId?: string }[] = [];

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
    this.requests.push({ scopes: [scopes].flat(), tenantId: options?.tenantId });
    return Promise.resolve({ token: 'kv-test-token', expiresOnTimestamp: Date.now() + 3_600_000 });
  }
}

/**
 * A local HTTPS server speaking Key Vault's documented REST shapes: the 401 bearer challenge for a request
 * without a token, GET /secrets/{name}/ returning the latest version, 404 SecretNotFound.
 */
class FakeKeyVault {
  readonly secrets = new Map<string, string>();
  unauthorisedRequests = 0;
  private server!: Server;
  url = '';

  async start(cert: { key: Buffer; cert: Buffer }): Promise<void> {
    this.server = createServer(cert, (req, res) => {
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        res
          .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
          .end(JSON.stringify(body));
      if (req.headers.authorization !== 'Bearer kv-test-token') {
        this.unauthorisedRequests += 1;
        return json(
          401,
          { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } },
          {
            'www-authenticate':
              'Bearer authorization="https://login.microsoftonline.com/72f988bf-0000-0000-0000-2d7cd011db47", resource="https://vault.azure.net"',
          },
        );
      }
      const url = new URL(req.url ?? '/', this.url);
      const match = url.searchParams.get('api-version')
        ? /^\/secrets\/([\w-]+)\/?$/.exec(url.pathname)
        : null;
      const value = match ? this.secrets.get(match[1]) : undefined;
      if (!match || value === undefined) {
        return json(404, {
          error: {
            code: 'SecretNotFound',
            message: `A secret with (name/id) ${match?.[1]} was not found in this key vault.`,
          },
        });
      }
      json(200, {
        value,
        id: `${this.url}/secrets/${match[1]}/0123456789abcdef0123456789abcdef`,
        attributes: {
          enabled: true,
          created: 1_700_000_000,
          updated: 1_700_000_000,
          recoveryLevel: 'Recoverable+Purgeable',
        },
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'kv-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'pipe' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe(KeyVaultSecretSource.name, () => {
  const vault = new FakeKeyVault();
  const credential = new TestCredential();
  let sut: KeyVaultSecretSource;

  beforeAll(async () => {
    const certificate = selfSignedCertificate();
    await vault.start(certificate);
    const client = new SecretClient(vault.url, credential, {
      tlsOptions: { ca: certificate.cert.toString() },
      // The challenge names the public cloud's resource; this vault lives on 127.0.0.1.
      disableChallengeResourceVerification: true,
      retryOptions: { maxRetries: 0 },
    });
    sut = new KeyVaultSecretSource(client);
  });

  afterAll(() => vault.stop());

  it('answers the bearer challenge with a token for the vault resource, then reads the secret', async () => {
    vault.secrets.set('subscription-key-pepper', 'pepper-v1');
    await expect(sut.read('subscription-key-pepper')).resolves.toBe('pepper-v1');
    expect(vault.unauthorisedRequests).toBeGreaterThanOrEqual(1);
    expect(credential.requests[0]).toEqual({
      scopes: ['https://vault.azure.net/.default'],
      tenantId: '72f988bf-0000-0000-0000-2d7cd011db47',
    });
  });

  it('reads a missing secret as undefined', async () => {
    await expect(sut.read('no-such-secret')).resolves.toBeUndefined();
  });

  describe('behind SecretsService', () => {
    it('picks up a rotated secret on the next refresh, without a restart', async () => {
      vault.secrets.set('database-uri', 'mongodb://db/v1');
      const service = new SecretsService(sut, ['database-uri'], [], 100);
      await service.start();
      try {
        expect(service.get('database-uri')).toBe('mongodb://db/v1');
        vault.secrets.set('database-uri', 'mongodb://db/v2');
        await new Promise((resolve) => setTimeout(resolve, 600));
        expect(service.get('database-uri')).toBe('mongodb://db/v2');
      } finally {
        service.stop();
      }
    });

    it('refuses to start when a required secret is missing, naming it but not any value', async () => {
      vault.secrets.set('oidc-audience', 'api://secret-looking-value');
      const service = new SecretsService(sut, ['audit-signing-key'], ['oidc-audience'], 1000);
      await expect(service.start()).rejects.toThrow(
        'Secret "audit-signing-key" could not be read from keyvault: it does not exist.',
      );
    });

    it('keeps the last good value when a refresh fails', async () => {
      vault.secrets.set('oidc-issuer', 'https://issuer.example');
      const service = new SecretsService(sut, ['oidc-issuer'], [], 60_000);
      await service.start();
      await vault.stop();
      try {
        await service.refresh();
        expect(service.get('oidc-issuer')).toBe('https://issuer.example');
      } finally {
        service.stop();
        await vault.start(selfSignedCertificate());
      }
    });
  });
});
