import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
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

  /** Where Observations go until the FHIR store provides its sink: `staging` (a collection of this database). */
  @IsIn(['staging'])
  DEVICE_OBSERVATION_SINK = 'staging' as const;

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
