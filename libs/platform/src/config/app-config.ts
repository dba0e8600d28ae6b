import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
  ValidateIf,
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

  /**
   * Audit signing keys, `keyId:base64key` separated by commas (keys of 32 bytes or more). Required in
   * production; elsewhere an ephemeral key is generated at start-up when unset.
   */
  @ValidateIf(
    (config: AppConfig) => config.NODE_ENV === 'production' || config.AUDIT_SIGNING_KEYS !== undefined,
  )
  @IsNotEmpty({ message: 'AUDIT_SIGNING_KEYS is required in production' })
  @Matches(/^[\w.-]{1,64}:[A-Za-z0-9+/=_-]{43,}(,[\w.-]{1,64}:[A-Za-z0-9+/=_-]{43,})*$/, {
    message: 'AUDIT_SIGNING_KEYS must look like keyId:base64key[,keyId:base64key] with keys of 32+ bytes',
  })
  AUDIT_SIGNING_KEYS?: string;

  /** Which of AUDIT_SIGNING_KEYS signs new entries (default: the first); the others only verify. */
  @IsOptional()
  @Matches(/^[\w.-]{1,64}$/, { message: 'AUDIT_SIGNING_KEY_ID must be a key id of AUDIT_SIGNING_KEYS' })
  AUDIT_SIGNING_KEY_ID?: string;

  /** Independent hash chains of the audit ledger; more chains, more parallel appends. Never lower it. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1024)
  AUDIT_CHAINS = 16;

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
}

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
      ([key, value]) => (known.includes(key) || key === 'MONGODB_URI') && value !== '',
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
