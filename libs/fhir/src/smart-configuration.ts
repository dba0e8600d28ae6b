import { Controller, Get, Injectable, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AppConfig, DomainError, ErrorKind, listOf, OidcDiscoveryService, Public } from '@hdp/platform';
import { declaredInteractions, FHIR_BASE } from './capabilities';
import { FhirExceptionFilter } from './http/fhir-exception.filter';

/** What the security pipeline enforces itself: SMART v1 and v2 scopes in user and patient context. */
const ENFORCED_CAPABILITIES = ['permission-patient', 'permission-user', 'permission-v1', 'permission-v2'];

/** The SMART App Launch 2.x discovery document (`.well-known/smart-configuration`). */
export interface SmartConfiguration {
  readonly issuer: string;
  readonly jwks_uri: string;
  readonly authorization_endpoint?: string;
  readonly token_endpoint?: string;
  readonly grant_types_supported: readonly string[];
  readonly token_endpoint_auth_methods_supported?: readonly string[];
  readonly code_challenge_methods_supported: readonly string[];
  readonly response_types_supported?: readonly string[];
  readonly introspection_endpoint?: string;
  readonly revocation_endpoint?: string;
  readonly scopes_supported: readonly string[];
  readonly capabilities: readonly string[];
}

class SmartNotConfiguredError extends DomainError {
  readonly kind = ErrorKind.NotFound;
}

class AuthorisationServerUnavailableError extends DomainError {
  readonly kind = ErrorKind.Unavailable;
}

/**
 * Builds the SMART discovery document from configuration: endpoints from the trusted issuer's OpenID
 * metadata, scopes from the resource types this server serves, capabilities from what it enforces plus
 * what SMART_CAPABILITIES says the authorisation server offers.
 */
@Injectable()
export class SmartConfigurationService {
  constructor(
    private readonly config: AppConfig,
    private readonly discovery: OidcDiscoveryService,
  ) {}

  async document(): Promise<SmartConfiguration> {
    const issuer = this.discovery.issuer();
    if (!issuer)
      throw new SmartNotConfiguredError('This server accepts no OAuth2 tokens (no issuer configured).');
    const provider = await this.discovery.configuration(issuer).catch(() => {
      throw new AuthorisationServerUnavailableError(
        'The authorisation server could not be reached; try again.',
      );
    });
    return {
      issuer: provider.issuer,
      jwks_uri: provider.jwks_uri,
      authorization_endpoint: provider.authorization_endpoint,
      token_endpoint: provider.token_endpoint,
      grant_types_supported: provider.grant_types_supported ?? ['authorization_code', 'client_credentials'],
      token_endpoint_auth_methods_supported: provider.token_endpoint_auth_methods_supported,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: provider.response_types_supported,
      introspection_endpoint: provider.introspection_endpoint,
      revocation_endpoint: provider.revocation_endpoint,
      scopes_supported: ['openid', 'fhirUser', 'launch/patient', ...resourceScopes()],
      capabilities: [...new Set([...listOf(this.config.SMART_CAPABILITIES), ...ENFORCED_CAPABILITIES])],
    };
  }
}

/** `GET /fhir/R4/.well-known/smart-configuration`: public, plain JSON as SMART requires; errors as OperationOutcome. */
@ApiTags('fhir')
@UseFilters(FhirExceptionFilter)
@Controller(`${FHIR_BASE}/.well-known`)
export class SmartConfigurationController {
  constructor(private readonly smart: SmartConfigurationService) {}

  @Public()
  @Get('smart-configuration')
  smartConfiguration(): Promise<SmartConfiguration> {
    return this.smart.document();
  }
}

function resourceScopes(): string[] {
  return [...declaredInteractions().keys()].flatMap((type) => [
    `patient/${type}.rs`,
    `user/${type}.cruds`,
    `system/${type}.cruds`,
  ]);
}
