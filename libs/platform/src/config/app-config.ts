import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsJSON,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  ValidateIf,
  validateSync,
} from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The process's configuration, read from the environment once at boot.
 * Property names are the environment variables' names so every error names the variable to fix.
 */
export class AppConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsString()
  HOST = '0.0.0.0';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  /** Read through the secrets provider (secret `database-uri`); required here only when secrets come from env. */
  @ValidateIf((config: AppConfig) => config.SECRETS_SOURCE === 'env' || config.MONGODB_URI !== undefined)
  @Matches(/^mongodb(\+srv)?:\/\/\S+$/, { message: 'MONGODB_URI must be a mongodb:// or mongodb+srv:// URI' })
  MONGODB_URI!: string;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Matches(/^\d+(b|kb|mb)$/i, { message: 'BODY_LIMIT must look like 100kb or 1mb' })
  BODY_LIMIT = '1mb';

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(300000)
  REQUEST_TIMEOUT_MS = 30000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(10000)
  READINESS_TIMEOUT_MS = 1500;

  /** Longest a store call may wait for its answer (or a connection) before it fails with a 503. */
  @Type(() => Number)
  @IsInt()
  @Min(500)
  @Max(300000)
  STORE_TIMEOUT_MS = 15000;

  /** Where secrets come from: environment variables, files in SECRETS_DIR (a mounted volume) or Azure Key Vault. */
  @IsIn(['env', 'files', 'keyvault'])
  SECRETS_SOURCE: 'env' | 'files' | 'keyvault' = 'env';

  @ValidateIf((config: AppConfig) => config.SECRETS_SOURCE === 'files')
  @IsString()
  SECRETS_DIR?: string;

  @ValidateIf((config: AppConfig) => config.SECRETS_SOURCE === 'keyvault')
  @IsUrl({ protocols: ['https'], require_tld: false }, { message: 'KEY_VAULT_URL must be an https:// URL' })
  KEY_VAULT_URL?: string;

  /** How often cached secrets are re-read, so a rotated secret takes effect without a restart. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  SECRETS_REFRESH_MS = 300000;

  /** Clock skew tolerated on a token's exp/nbf, in seconds. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(300)
  OIDC_CLOCK_SKEW_S = 30;

  /** Least time between two JWKS fetches triggered by unknown `kid`s, so bogus tokens cannot hammer the issuer. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  OIDC_JWKS_COOLDOWN_MS = 30000;

  /**
   * The origin (and path prefix, if any) clients reach the API at, e.g. `https://hdp.internal.example`: every
   * absolute URL the API answers with (Bundle links, fullUrl) is built from it, never from request headers.
   * Required in production; elsewhere `http://localhost:PORT`.
   */
  @ValidateIf((config: AppConfig) => config.NODE_ENV === 'production' || config.PUBLIC_BASE_URL !== undefined)
  @Matches(/^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/, {
    message: 'PUBLIC_BASE_URL must be an http(s):// URL without credentials, query or fragment',
  })
  PUBLIC_BASE_URL?: string;

  /** Comma-separated origins allowed by CORS; empty: CORS is off. */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  /** Comma-separated addresses/CIDRs of the proxies whose X-Forwarded-For is believed; empty: none. */
  @IsOptional()
  @Matches(/^[\da-fA-F.:/,\s]+$/, { message: 'TRUSTED_PROXIES must be a comma-separated list of IPs/CIDRs' })
  TRUSTED_PROXIES?: string;

  /** Comma-separated CIDRs (IPv4/IPv6) from which admin operations are accepted; empty: none. */
  @IsOptional()
  @Matches(/^[\da-fA-F.:/,\s]+$/, { message: 'ADMIN_ALLOWED_CIDRS must be a comma-separated list of CIDRs' })
  ADMIN_ALLOWED_CIDRS?: string;

  @Matches(/^redis(s)?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of the rate-limit counters' keys in Redis. */
  @Matches(/^[\w:.-]{1,64}$/)
  RATE_LIMIT_KEY_PREFIX = 'hdp:rl';

  /** Default rate limit for a client: calls per period (seconds). Subscriptions may override it. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_CALLS = 100;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86400)
  RATE_LIMIT_PERIOD_S = 60;

  /** 401 and 403 answers one client address may get per AUTH_FAILURE_PERIOD_S before it is answered 429. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  AUTH_FAILURE_LIMIT = 20;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86400)
  AUTH_FAILURE_PERIOD_S = 300;

  /** Token clients' quota tier; subscriptions carry their own. */
  @IsIn(['standard', 'premium'])
  DEFAULT_QUOTA_TIER: 'standard' | 'premium' = 'standard';

  /**
   * SMART capabilities of the authorisation server (launch, client authentication, OpenID Connect) announced
   * in /fhir/R4/.well-known/smart-configuration; the permission capabilities this server enforces itself are
   * always added. The default matches Microsoft Entra ID.
   */
  @Matches(/^[a-z][a-z-]*(\s*,\s*[a-z][a-z-]*)*$/, {
    message: 'SMART_CAPABILITIES must be a comma-separated list of SMART capability names',
  })
  SMART_CAPABILITIES =
    'launch-standalone,client-public,client-confidential-symmetric,client-confidential-asymmetric,sso-openid-connect';

  /** Blob storage account for documents, reached with the workload identity; or the connection-string secret. */
  @Matches(/^(https:\/\/\S+)?$/, { message: 'DOCUMENTS_STORAGE_ACCOUNT_URL must be an https:// URL' })
  DOCUMENTS_STORAGE_ACCOUNT_URL = '';

  @Matches(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, {
    message: 'DOCUMENTS_CONTAINER must be a blob container name',
  })
  DOCUMENTS_CONTAINER = 'patient-documents';

  /** Largest document accepted, in bytes (413 above it). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  DOCUMENTS_MAX_BYTES = 100 * 1024 * 1024;

  /** How downloads are served: streamed through this service, or a redirect (303) to a short-lived SAS URL. */
  @IsIn(['stream', 'sas'])
  DOCUMENTS_DOWNLOAD: 'stream' | 'sas' = 'stream';

  /** Lifetime of a download SAS URL, in seconds. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3600)
  DOCUMENTS_SAS_TTL_S = 300;

  /** Uploads unfinished after this long, and deletions whose blob is left, are cleaned by the sweep. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  DOCUMENTS_SWEEP_AGE_MS = 60 * 60 * 1000;

  /** Identifier systems whose values are national identifiers, masked for callers without the permission. */
  @IsString()
  PHI_NATIONAL_ID_SYSTEMS = 'https://fhir.nhs.uk/Id/nhs-number,http://hl7.org/fhir/sid/us-ssn';

  /** Roles that see national identifiers unmasked. */
  @IsString()
  PHI_IDENTIFIER_ROLES = 'clinician,patient';

  /**
   * Per role, what is removed from responses: JSON like {"partner-system":{"fields":["note"],"extensions":["url"]}}.
   * A caller with several roles keeps what any of its roles may see.
   */
  @IsOptional()
  @IsJSON({ message: 'PHI_REDACTIONS must be JSON like {"partner-system":{"fields":["note"]}}' })
  PHI_REDACTIONS?: string;
  /** Which key of the `audit-signing-key` secret signs new entries (default: the first); the others only verify. */
  @IsOptional()
  @Matches(/^[\w.-]{1,64}$/, {
    message: 'AUDIT_SIGNING_KEY_ID must be a key id of the audit-signing-key secret',
  })
  AUDIT_SIGNING_KEY_ID?: string;

  /** Independent hash chains of the audit ledger; more chains, more parallel appends. Never lower it. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1024)
  AUDIT_CHAINS = 16;

  /** How often each process writes a signed checkpoint of every chain's last position. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(3600000)
  AUDIT_CHECKPOINT_INTERVAL_MS = 60000;

  /**
   * A blob container (in the documents' storage account) that also receives every checkpoint, never
   * overwritten; in production it carries a time-based immutability (WORM) policy. Empty: no copy.
   */
  @Matches(/^([a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9])?$/, {
    message: 'AUDIT_CHECKPOINT_CONTAINER must be a blob container name',
  })
  AUDIT_CHECKPOINT_CONTAINER = '';

  /** An audit intent older than this is finished by the recovery sweep (its writer is presumed dead). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3600000)
  AUDIT_RECOVERY_AGE_MS = 30000;

  /** Benchmark only: append audit entries unsigned and unchained, to measure what signing costs. */
  @Transform(({ value }) => value === true || value === 'true')
  @IsBoolean()
  AUDIT_BENCH_UNCHAINED = false;
  /** Runs the device pipeline (Event Hubs when configured, and the HTTP intake queue). */
  @Transform(({ value }) => value === true || value === 'true')
  @IsBoolean()
  DEVICE_INGEST_ENABLED = false;

  @ValidateIf((c: AppConfig) => c.DEVICE_INGEST_ENABLED)
  @Matches(/\S/, { message: 'DEVICE_TEMPLATES_PATH is required when DEVICE_INGEST_ENABLED is true' })
  DEVICE_TEMPLATES_PATH = '';

  @ValidateIf((c: AppConfig) => c.DEVICE_INGEST_ENABLED)
  @Matches(/\S/, { message: 'FHIR_TEMPLATES_PATH is required when DEVICE_INGEST_ENABLED is true' })
  FHIR_TEMPLATES_PATH = '';

  /**
   * How the device pipeline finds an event's Device, Patient and Encounter (as MedTech does): `Lookup` (the
   * Device by identifier, its patient), `LookupWithEncounter` (and the Encounter by identifier), `Create`
   * (the Device and its Patient created when missing).
   */
  @IsIn(['Lookup', 'LookupWithEncounter', 'Create'])
  DEVICE_IDENTITY_RESOLUTION: 'Lookup' | 'LookupWithEncounter' | 'Create' = 'Lookup';

  /** The identifier systems under which a device message's device, patient and encounter ids are held. */
  @IsString()
  @Matches(/\S/)
  DEVICE_IDENTIFIER_SYSTEM = 'urn:hdp:device-id';

  @IsString()
  @Matches(/\S/)
  DEVICE_PATIENT_IDENTIFIER_SYSTEM = 'urn:hdp:patient-id';

  @IsString()
  @Matches(/\S/)
  DEVICE_ENCOUNTER_IDENTIFIER_SYSTEM = 'urn:hdp:encounter-id';

  @IsString()
  EVENTHUB_NAMESPACE = '';

  @IsString()
  EVENTHUB_NAME = '';

  @IsString()
  EVENTHUB_CONSUMER_GROUP = '$Default';

  @IsString()
  EVENTHUB_CONNECTION_STRING = '';

  @IsString()
  CHECKPOINT_STORAGE_ACCOUNT_URL = '';

  @IsString()
  CHECKPOINT_CONTAINER = 'device-checkpoints';

  @IsString()
  CHECKPOINT_STORAGE_CONNECTION_STRING = '';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  DEVICE_INTAKE_MAX_EVENTS = 1000;

  @Type(() => Number)
  @IsInt()
  @Min(64)
  @Max(1048576)
  DEVICE_INTAKE_MAX_EVENT_BYTES = 65536;

  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60000)
  DEVICE_INTAKE_POLL_MS = 1000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  DEVICE_WRITES_PER_SECOND = 50;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  DEVICE_GROUP_MAX_SIZE = 1000;

  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(3600000)
  DEVICE_GROUP_MAX_AGE_MS = 15000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000000)
  DEVICE_MAX_BUFFERED = 100000;

  /** Runs the reminder scheduler in this process (every replica may: occurrences are claimed once). */
  @Transform(({ value }) => value === true || value === 'true')
  @IsBoolean()
  REMINDERS_ENABLED = false;

  /** How often the scheduler looks for due reminders and retries. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(3600000)
  REMINDERS_POLL_MS = 5000;

  /** Due reminders (and due retries) one poll claims at most. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  REMINDERS_BATCH_SIZE = 200;

  /** Messages one scheduler sends at once. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  REMINDERS_SEND_CONCURRENCY = 16;

  /** A delivery claimed but not finished after this long is presumed lost with its process and retried. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(3600000)
  REMINDERS_LEASE_MS = 120000;

  /** Attempts per delivery before it is recorded as failed. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  REMINDERS_MAX_ATTEMPTS = 5;

  /** First retry delay; each further retry waits twice as long. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(3600000)
  REMINDERS_RETRY_BASE_MS = 30000;

  /** `smtp`: every channel as e-mail to an SMTP server (local, tests); `azure`: ACS e-mail/SMS, Notification Hubs. */
  @IsIn(['smtp', 'azure'])
  REMINDERS_SENDER: 'smtp' | 'azure' = 'smtp';

  @Matches(/^smtps?:\/\/\S+$/, { message: 'REMINDERS_SMTP_URL must be an smtp:// or smtps:// URL' })
  REMINDERS_SMTP_URL = 'smtp://127.0.0.1:2525';

  /** Sender address of reminder e-mails (SMTP and ACS). */
  @Matches(/^[^\s@]+@[^\s@]+$/, { message: 'REMINDERS_EMAIL_FROM must be an e-mail address' })
  REMINDERS_EMAIL_FROM = 'reminders@localhost';

  /** Phone number (E.164) or alphanumeric sender id the ACS SMS messages come from. */
  @IsString()
  REMINDERS_SMS_FROM = '';

  @IsString()
  REMINDERS_NOTIFICATION_HUB_NAME = '';
}

/** Variables without a default, which an instance's keys do not list. */
const OPTIONAL_VARIABLES = [
  'MONGODB_URI',
  'SECRETS_DIR',
  'KEY_VAULT_URL',
  'CORS_ORIGINS',
  'PUBLIC_BASE_URL',
  'TRUSTED_PROXIES',
  'ADMIN_ALLOWED_CIDRS',
  'PHI_REDACTIONS',
  'AUDIT_SIGNING_KEY_ID',
];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = ConfigError.name;
  }
}

/** Validates the environment into an AppConfig, or throws a ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const known = Object.keys(new AppConfig());
  const input = Object.fromEntries(
    Object.entries(env).filter(
      ([key, value]) => (known.includes(key) || OPTIONAL_VARIABLES.includes(key)) && value !== '',
    ),
  );
  const config = plainToInstance(AppConfig, input, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.flatMap((error) =>
        Object.values(error.constraints ?? {}).map((message) =>
          error.value === undefined ? `${error.property} is required (${message})` : message,
        ),
      ),
    );
  }
  return config;
}

/** The configured public base URL without a trailing slash (outside production, `http://localhost:PORT` by default). */
export function publicBaseUrl(config: AppConfig): string {
  return (config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}

/** The Express setting under which configureApp keeps publicBaseUrl(config) for code without injection. */
export const PUBLIC_BASE_URL_SETTING = 'hdp:publicBaseUrl';

/** The items of a comma-separated configuration value, trimmed, empty ones dropped. */
export function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
