import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where secret values come from. `read` resolves undefined when the secret does not exist there. */
export interface SecretSource {
  /** Named in start-up errors: "env", "files", "keyvault". */
  readonly kind: string;
  read(name: string): Promise<string | undefined>;
}

/** The environment variable holding a secret locally: `subscription-key-pepper` -> SUBSCRIPTION_KEY_PEPPER. */
export function envVariableFor(name: string): string {
  return ENV_ALIASES[name] ?? name.toUpperCase().replace(/-/g, '_');
}

const ENV_ALIASES: Record<string, string> = { 'database-uri': 'MONGODB_URI' };

/** Secrets from environment variables (development, CI). */
export class EnvSecretSource implements SecretSource {
  readonly kind = 'env';

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  read(name: string): Promise<string | undefined> {
    const value = this.env[envVariableFor(name)];
    return Promise.resolve(value === '' ? undefined : value);
  }
}

/** Secrets as files named after them in one directory: a Kubernetes secret or CSI Key Vault volume. */
export class FileSecretSource implements SecretSource {
  readonly kind = 'files';

  constructor(private readonly directory: string) {}

  async read(name: string): Promise<string | undefined> {
    try {
      return (await readFile(join(this.directory, name), 'utf8')).trim() || undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
}
