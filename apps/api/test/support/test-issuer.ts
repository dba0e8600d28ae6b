import { Principal } from '@hdp/platform';
import { exportJWK, generateKeyPair, JWK, JWTPayload, KeyLike, SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TEST_AUDIENCE = 'api://health-data-platform-test';

interface SigningKey {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256';
  readonly privateKey: KeyLike;
  readonly jwk: JWK;
}

export interface SignOptions {
  alg?: 'RS256' | 'ES256';
  kid?: string;
  issuer?: string;
  audience?: string;
  expiresIn?: string | number;
  notBefore?: string | number;
}

/**
 * A real OIDC issuer on 127.0.0.1 for the suites: generated RS256 and ES256 keys, a discovery document and a
 * JWKS over HTTP, and tokens signed with jose. It counts JWKS fetches so tests can see caching.
 */
export class TestIssuer {
  jwksFetches = 0;
  private readonly keys: SigningKey[] = [];
  private readonly published = new Set<string>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<TestIssuer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    const issuer = new TestIssuer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => issuer.serve(req.url ?? '', res));
    await issuer.addKey('RS256');
    await issuer.addKey('ES256');
    return issuer;
  }

  /** Generates a key; published in the JWKS unless `publish` is false (an unknown kid until then). */
  async addKey(alg: 'RS256' | 'ES256', publish = true): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const kid = `k-${randomBytes(6).toString('hex')}`;
    this.keys.push({ kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } });
    if (publish) this.published.add(kid);
    return kid;
  }

  publish(kid: string): void {
    this.published.add(kid);
  }

  /** The public JWK of a key, for attacks that misuse it. */
  publicJwk(kid?: string): JWK {
    return this.key(kid).jwk;
  }

  async sign(claims: JWTPayload, options: SignOptions = {}): Promise<string> {
    const key = options.kid
      ? this.key(options.kid)
      : this.keys.find((k) => k.alg === (options.alg ?? 'RS256'));
    if (!key) throw new Error('no such test key');
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? this.url)
      .setAudience(options.audience ?? TEST_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '10m');
    if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
    return jwt.sign(key.privateKey);
  }

  /** A token carrying the principal as an identity provider would: sub, azp, roles, scope, patient. */
  tokenFor(principal: Principal, options: SignOptions = {}): Promise<string> {
    return this.sign(
      {
        sub: principal.id,
        azp: principal.clientId,
        roles: [...principal.roles],
        scope: principal.scopes.join(' '),
        ...(principal.patientId ? { patient: principal.patientId } : {}),
      },
      options,
    );
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private key(kid?: string): SigningKey {
    const key = kid ? this.keys.find((k) => k.kid === kid) : this.keys[0];
    if (!key) throw new Error(`no test key ${kid}`);
    return key;
  }

  private serve(path: string, res: ServerResponse): void {
    const send = (body: unknown) =>
      res
        .writeHead(200, { 'content-type': 'application/json', connection: 'close' })
        .end(JSON.stringify(body));
    if (path === '/.well-known/openid-configuration') {
      send({
        issuer: this.url,
        jwks_uri: `${this.url}/jwks`,
        authorization_endpoint: `${this.url}/authorize`,
        token_endpoint: `${this.url}/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
      });
    } else if (path === '/jwks') {
      this.jwksFetches += 1;
      send({ keys: this.keys.filter((k) => this.published.has(k.kid)).map((k) => k.jwk) });
    } else {
      res.writeHead(404).end();
    }
  }
}

let shared: Promise<TestIssuer> | undefined;

/** One issuer per test process, shared by every app the suites start. */
export function sharedTestIssuer(): Promise<TestIssuer> {
  shared ??= TestIssuer.start();
  return shared;
}
