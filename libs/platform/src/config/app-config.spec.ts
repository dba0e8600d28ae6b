import { ConfigError, loadConfig, publicBaseUrl } from './app-config';

describe(loadConfig.name, () => {
  const valid = { MONGODB_URI: 'mongodb://127.0.0.1:27017/app' };

  it('applies defaults to everything but the database URI', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      PORT: 3000,
      LOG_LEVEL: 'info',
      BODY_LIMIT: '1mb',
      NODE_ENV: 'development',
    });
  });

  it('reads numbers from their string form', () => {
    expect(loadConfig({ ...valid, PORT: '8080' }).PORT).toBe(8080);
  });

  it('stops start-up naming the missing database URI', () => {
    expect(() => loadConfig({})).toThrow(/MONGODB_URI is required/);
  });

  it('lists every bad variable at once, not only the first', () => {
    const attempt = () => loadConfig({ MONGODB_URI: 'http://db', PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const text = (error as ConfigError).problems.join('\n');
      expect(text).toMatch(/MONGODB_URI/);
      expect(text).toMatch(/PORT/);
      expect(text).toMatch(/LOG_LEVEL/);
    }
  });

  it('ignores unrelated environment variables', () => {
    expect(loadConfig({ ...valid, PATH: '/usr/bin' })).not.toHaveProperty('PATH');
  });

  it('needs MONGODB_URI from the environment only while secrets come from it', () => {
    const keyVault = { SECRETS_SOURCE: 'keyvault', KEY_VAULT_URL: 'https://hdp-prod.vault.azure.net' };
    expect(loadConfig(keyVault).SECRETS_SOURCE).toBe('keyvault');
    expect(() => loadConfig({ SECRETS_SOURCE: 'keyvault' })).toThrow(/KEY_VAULT_URL/);
  });

  it('requires a well-formed PUBLIC_BASE_URL in production, and defaults it elsewhere', () => {
    const production = { ...valid, NODE_ENV: 'production' };
    expect(() => loadConfig(production)).toThrow(/PUBLIC_BASE_URL is required/);
    expect(() => loadConfig({ ...production, PUBLIC_BASE_URL: 'hdp.example' })).toThrow(/PUBLIC_BASE_URL/);
    expect(() => loadConfig({ ...production, PUBLIC_BASE_URL: 'https://a@hdp.example' })).toThrow(
      /PUBLIC_BASE_URL/,
    );
    expect(publicBaseUrl(loadConfig({ ...production, PUBLIC_BASE_URL: 'https://hdp.example/' }))).toBe(
      'https://hdp.example',
    );
    expect(publicBaseUrl(loadConfig({ ...valid, PORT: '8080' }))).toBe('http://localhost:8080');
  });

  it('rejects malformed security settings by name', () => {
    expect(() => loadConfig({ ...valid, TRUSTED_PROXIES: 'everyone' })).toThrow(/TRUSTED_PROXIES/);
    expect(() => loadConfig({ ...valid, PHI_REDACTIONS: '{note' })).toThrow(/PHI_REDACTIONS/);
    expect(() => loadConfig({ ...valid, REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL/);
  });
});

describe('audit configuration', () => {
  const valid = { MONGODB_URI: 'mongodb://127.0.0.1:27017/app' };

  it('reads the benchmark switch and the chain count', () => {
    const config = loadConfig({ ...valid, AUDIT_BENCH_UNCHAINED: 'true', AUDIT_CHAINS: '4' });
    expect(config).toMatchObject({ AUDIT_BENCH_UNCHAINED: true, AUDIT_CHAINS: 4 });
  });
});
