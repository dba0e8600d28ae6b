import type { SecretClient } from '@azure/keyvault-secrets';
import type { SecretSource } from './secret-source';

/**
 * Secrets from Azure Key Vault through the official SDK (production: the pod's workload identity via
 * DefaultAzureCredential). Each read fetches the secret's latest version.
 */
export class KeyVaultSecretSource implements SecretSource {
  readonly kind = 'keyvault';

  constructor(private readonly client: SecretClient) {}

  async read(name: string): Promise<string | undefined> {
    try {
      return (await this.client.getSecret(name)).value;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }
}
