import { DefaultAzureCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { DynamicModule, Global, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { KeyVaultSecretSource } from './key-vault-secret-source';
import { EnvSecretSource, FileSecretSource, SecretSource } from './secret-source';
import { SecretName, SecretsService } from './secrets.service';

const REQUIRED = [SecretName.DatabaseUri, SecretName.SubscriptionKeyPepper];
const OPTIONAL = [
  SecretName.AuditSigningKey,
  SecretName.OidcIssuer,
  SecretName.OidcAudience,
  SecretName.RedisPassword,
  SecretName.DocumentsStorageConnectionString,
  SecretName.CommunicationServicesConnectionString,
  SecretName.NotificationHubsConnectionString,
];

/** The source AppConfig names; `env` is the process environment unless a test passes its own. */
export function secretSourceFor(config: AppConfig, env: NodeJS.ProcessEnv): SecretSource {
  switch (config.SECRETS_SOURCE) {
    case 'files':
      return new FileSecretSource(config.SECRETS_DIR ?? '');
    case 'keyvault':
      return new KeyVaultSecretSource(
        new SecretClient(config.KEY_VAULT_URL ?? '', new DefaultAzureCredential()),
      );
    default:
      return new EnvSecretSource(env);
  }
}

/** Makes SecretsService injectable everywhere, loaded before anything that needs a secret is built. */
@Global()
@Module({})
export class SecretsModule implements OnApplicationShutdown {
  static forRoot(source: SecretSource): DynamicModule {
    return {
      module: SecretsModule,
      providers: [
        {
          provide: SecretsService,
          inject: [AppConfig],
          useFactory: async (config: AppConfig) => {
            const service = new SecretsService(source, REQUIRED, OPTIONAL, config.SECRETS_REFRESH_MS);
            await service.start();
            return service;
          },
        },
      ],
      exports: [SecretsService],
    };
  }

  constructor(private readonly secrets: SecretsService) {}

  onApplicationShutdown(): void {
    this.secrets.stop();
  }
}
