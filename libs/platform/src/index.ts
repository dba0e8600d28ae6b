export {
  AppConfig,
  ConfigError,
  listOf,
  loadConfig,
  PUBLIC_BASE_URL_SETTING,
  publicBaseUrl,
} from './config/app-config';
export { ConfigModule } from './config/config.module';
export { DatabaseModule } from './database/database.module';
export { DomainError, ErrorKind, InvalidInputError } from './errors/domain-error';
export { safeErrorSummary } from './errors/safe-error-summary';
export { PeriodicTask } from './scheduling/periodic-task';
export { asDomainError, RETRY_AFTER_SECONDS, StoreUnavailableError } from './errors/store-unavailable';
export type { FieldIssue } from './errors/domain-error';
export { Role } from './request-context/principal';
export type { Principal } from './request-context/principal';
export { RequestContextMiddleware } from './request-context/request-context.middleware';
export { RequestContextModule } from './request-context/request-context.module';
export { RequestContextService } from './request-context/request-context.service';
export type { RequestContext } from './request-context/request-context.service';
export { assignRequestIds, traceIdFrom } from './request-context/request-ids';
export { KeyVaultSecretSource } from './secrets/key-vault-secret-source';
export { EnvSecretSource, FileSecretSource } from './secrets/secret-source';
export type { SecretSource } from './secrets/secret-source';
export { secretSourceFor, SecretsModule } from './secrets/secrets.module';
export { SecretName, SecretsService, SecretUnavailableError } from './secrets/secrets.service';
export {
  ADMIN_NETWORK,
  ANY_AUTHENTICATED,
  AnyAuthenticated,
  AdminOperation,
  REQUIRED_ROLES,
  REQUIRED_SCOPE,
  RequireRole,
  RequireScope,
} from './security/access.decorators';
export type { Interaction, RequiredScope } from './security/access.decorators';
export { parseScope, scopesPermit } from './security/smart-scopes';
export type { Permission } from './security/smart-scopes';
export { IS_PUBLIC, Public } from './security/public.decorator';
export { decodeCursor, encodeCursor } from './pagination/cursor';
export { PageQueryDto } from './pagination/page-query.dto';
export { OidcDiscoveryError, OidcDiscoveryService, OidcModule } from './oidc/oidc-discovery.service';
export type { OpenIdConfiguration } from './oidc/oidc-discovery.service';
export { isRecordId, RECORD_ID } from './ids/record-id';
export { OptionalNestedArray } from './validation/optional-nested-array.decorator';
export { NestedObject } from './validation/nested-object.decorator';
