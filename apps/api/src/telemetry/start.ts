import { startTelemetry } from './telemetry';
import { telemetryConfig, TelemetryConfigError } from './telemetry-config';

/**
 * Imported first by main.ts, before anything that loads express, mongoose or pino, so that they load
 * instrumented. Reads only the telemetry variables; the rest of the configuration is validated later.
 */
function start() {
  try {
    return startTelemetry(telemetryConfig(process.env));
  } catch (error) {
    if (!(error instanceof TelemetryConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

export const telemetry = start();
