import { randomBytes } from 'node:crypto';
import { Db, MongoClient } from 'mongodb';
import { startTestApp, TestApp, testRedisUrl } from './test-app';
import { TEST_AUDIENCE } from './test-issuer';

/** A valid NHS number (modulus-11 check digit) different on every call. */
export function newNhsNumber(): string {
  for (;;) {
    const digits = [...randomBytes(9)].map((byte) => byte % 10);
    const sum = digits.reduce((total, digit, index) => total + digit * (10 - index), 0);
    const check = 11 - (sum % 11);
    if (check !== 10) return [...digits, check === 11 ? 0 : check].join('');
  }
}

export const NHS = 'https://fhir.nhs.uk/Id/nhs-number';

export function patientBody(overrides: Record<string, unknown> = {}) {
  return {
    identifier: [{ system: NHS, value: newNhsNumber() }],
    name: { family: 'Oakenshield', given: ['Thorin'], prefix: ['Mr'] },
    birthDate: '1946-04-09',
    gender: 'male',
    telecom: [{ system: 'email', value: 'thorin@example.org' }],
    address: [{ line: ['1 Lonely Mountain'], city: 'Erebor', postalCode: 'ER1 1AA' }],
    ...overrides,
  };
}

export function resultBody(overrides: Record<string, unknown> = {}) {
  return {
    code: { system: 'http://loinc.org', code: '2339-0', display: 'Glucose [Mass/volume] in Blood' },
    valueQuantity: { value: 5.4, unit: 'mmol/L', system: 'http://unitsofmeasure.org' },
    referenceRange: [{ text: '3.9-5.5 mmol/L' }],
    status: 'final',
    effectiveDateTime: '2026-01-10T08:30:00.000Z',
    ...overrides,
  };
}

export const testSigningKeys = () => `test-k1:${randomBytes(32).toString('base64')}`;

export interface AuditedTestApp {
  readonly ctx: TestApp;
  /** The suite's database, read directly to check stored state and the ledger. */
  readonly db: Db;
  close(): Promise<void>;
}

/** The real app on a fresh database, with a generated audit signing key and a direct database handle. */
export async function startAuditedApp(env: Record<string, string> = {}): Promise<AuditedTestApp> {
  const ctx = await startTestApp({ AUDIT_SIGNING_KEY: testSigningKeys(), ...env });
  const client = await MongoClient.connect(ctx.database.uri);
  return {
    ctx,
    db: client.db(),
    async close() {
      await client.close();
      await ctx.close();
    },
  };
}

/**
 * An audited app for the enclosing `describe`, started before its tests and closed after them. Its `ctx`
 * and `db` are there from the first test on.
 */
export function useAuditedApp(env: Record<string, string> = {}): AuditedTestApp {
  let app: AuditedTestApp | undefined;
  beforeAll(async () => {
    app = await startAuditedApp(env);
  });
  afterAll(() => app?.close());
  const started = () => {
    if (!app) throw new Error('the app is not started yet');
    return app;
  };
  return {
    get ctx() {
      return started().ctx;
    },
    get db() {
      return started().db;
    },
    close: () => started().close(),
  };
}

/**
 * The environment of a second API process (support/app-process.ts) on `port` sharing `api`'s database,
 * issuer, Redis and audit signing keys: a replica of it, which a test may kill.
 */
export function replicaEnv(api: AuditedTestApp, signingKeys: string, port: number): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    MONGODB_URI: api.ctx.database.uri,
    REDIS_URL: testRedisUrl(),
    OIDC_ISSUER: api.ctx.issuer.url,
    OIDC_AUDIENCE: TEST_AUDIENCE,
    SUBSCRIPTION_KEY_PEPPER: randomBytes(32).toString('base64'),
    AUDIT_SIGNING_KEY: signingKeys,
    LOG_LEVEL: 'silent',
  };
}
