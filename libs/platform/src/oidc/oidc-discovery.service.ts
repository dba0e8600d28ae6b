import { Global, Injectable, Module } from '@nestjs/common';
import { SecretName, SecretsService } from '../secrets/secrets.service';

/** The parts of an issuer's OpenID Provider Metadata this server uses or passes on to SMART clients. */
export interface OpenIdConfiguration {
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly authorization_endpoint?: string;
  readonly token_endpoint?: string;
  readonly grant_types_supported?: readonly string[];
  readonly token_endpoint_auth_methods_supported?: readonly string[];
  readonly code_challenge_methods_supported?: readonly string[];
  readonly response_types_supported?: readonly string[];
  readonly introspection_endpoint?: string;
  readonly revocation_endpoint?: string;
}

export class OidcDiscoveryError extends Error {
  constructor(reason: string) {
    super(`OpenID configuration unusable: ${reason}`);
    this.name = OidcDiscoveryError.name;
  }
}

/**
 * The trusted issuer's `/.well-known/openid-configuration`, fetched once per issuer (the `oidc-issuer` secret
 * may rotate) and cached; a failed fetch is forgotten so the next call tries again.
 */
@Injectable()
export class OidcDiscoveryService {
  private cached?: { issuer: string; configuration: Promise<OpenIdConfiguration> };

  constructor(private readonly secrets: SecretsService) {}

  /** The configured issuer, or undefined when bearer tokens are not accepted at all. */
  issuer(): string | undefined {
    return this.secrets.getOptional(SecretName.OidcIssuer);
  }

  configuration(issuer: string): Promise<OpenIdConfiguration> {
    if (this.cached?.issuer !== issuer) {
      const configuration = fetchConfiguration(issuer);
      configuration.catch(() => {
        if (this.cached?.configuration === configuration) this.cached = undefined;
      });
      this.cached = { issuer, configuration };
    }
    return this.cached.configuration;
  }
}

async function fetchConfiguration(issuer: string): Promise<OpenIdConfiguration> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new OidcDiscoveryError(`the issuer answered ${response.status}`);
  const document = (await response.json()) as Partial<Record<keyof OpenIdConfiguration, unknown>>;
  if (document.issuer !== issuer) throw new OidcDiscoveryError('it names another issuer');
  if (typeof document.jwks_uri !== 'string') throw new OidcDiscoveryError('it has no jwks_uri');
  return document as OpenIdConfiguration;
}

/** Makes OidcDiscoveryService injectable everywhere (the security pipeline and the SMART discovery document). */
@Global()
@Module({ providers: [OidcDiscoveryService], exports: [OidcDiscoveryService] })
export class OidcModule {}
