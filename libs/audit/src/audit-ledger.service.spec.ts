import { AppConfig, loadConfig, RequestContextService, SecretsService } from '@hdp/platform';
import { AuditEntryRepository } from './audit-entry.repository';
import { AuditLedgerService } from './audit-ledger.service';

describe(AuditLedgerService.name, () => {
  const key = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
  const config = (env: Record<string, string> = {}): AppConfig =>
    loadConfig({ MONGODB_URI: 'mongodb://127.0.0.1:27017/app', ...env });
  const secrets = (signingKey?: string) => ({ getOptional: () => signingKey }) as unknown as SecretsService;
  const create = (appConfig: AppConfig, secretsService: SecretsService) =>
    new AuditLedgerService(
      appConfig,
      secretsService,
      new RequestContextService(),
      {} as unknown as AuditEntryRepository,
    );

  it('signs with the key of the audit-signing-key secret', () => {
    const sut = create(config(), secrets(key));
    expect(sut.signer.activeKeyId).toBe('k1');
  });

  it('refuses to start in production without the audit-signing-key secret', () => {
    expect(() =>
      create(config({ NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://hdp.example' }), secrets()),
    ).toThrow('The audit-signing-key secret is required in production');
  });

  it('signs with an ephemeral key outside production when the secret is absent', () => {
    expect(create(config(), secrets()).signer.activeKeyId).toMatch(/^ephemeral-/);
  });
});
