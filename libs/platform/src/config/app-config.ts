import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, Min, validateSync } from 'class-validator';

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
