/**
 * The development identity's shared parts: its key pair, kept under the data folder so tokens outlive
 * restarts, and where its issuer runs. Never for production: both entry points refuse to run there.
 */
import { exportJWK, generateKeyPair, importJWK, JWK, KeyLike } from 'jose';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const DEV_AUDIENCE = 'api://health-data-platform-dev';
const ALG = 'ES256';

export interface DevIssuer {
  readonly issuer: string;
  readonly audience: string;
}

export interface DevKey {
  readonly privateKey: KeyLike;
  /** The public JWK, with its kid, as the JWKS publishes it. */
  readonly publicJwk: JWK;
}

/** Exits with a message when NODE_ENV is production: a development identity must never sign there. */
export function refuseInProduction(what: string): void {
  if (process.env.NODE_ENV !== 'production') return;
  process.stderr.write(`${what} is for development only and refuses to run with NODE_ENV=production.\n`);
  process.exit(1);
}

/** `DATA_DIR/dev-identity` (DATA_DIR defaults to the repo's `.data`). */
export function identityDir(): string {
  return resolve(__dirname, '..', '..', process.env.DATA_DIR ?? '.data', 'dev-identity');
}

/** The key pair in `dir`, generated (ES256) and written there, readable by the owner only, the first time. */
export async function loadOrCreateKey(dir: string): Promise<DevKey> {
  const file = join(dir, 'signing-key.json');
  if (!existsSync(file)) {
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: `dev-${randomBytes(4).toString('hex')}`, alg: ALG };
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
  }
  const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  const { kty, crv, x, y, kid, alg } = jwk;
  return {
    privateKey: (await importJWK(jwk, ALG)) as KeyLike,
    publicJwk: { kty, crv, x, y, kid, alg, use: 'sig' },
  };
}

export function writeIssuer(dir: string, issuer: DevIssuer): void {
  writeFileSync(join(dir, 'issuer.json'), JSON.stringify(issuer));
}

/** The running issuer's address, which a token must name; undefined before `npm start` has run it. */
export function readIssuer(dir: string): DevIssuer | undefined {
  const file = join(dir, 'issuer.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DevIssuer) : undefined;
}
