/** Where telemetry goes, read from the standard OpenTelemetry and Azure Monitor environment variables. */
export interface TelemetryConfig {
  /** False when OTEL_SDK_DISABLED=true: no spans, no metrics, nothing patched. */
  readonly enabled: boolean;
  readonly serviceName: string;
  /** Set when OTEL_EXPORTER_OTLP_ENDPOINT is: the exporters read the endpoint themselves. */
  readonly otlpProtocol?: OtlpProtocol;
  readonly azureMonitorConnectionString?: string;
  /** Port of the Prometheus `/metrics` endpoint, apart from the API's port; 0 turns it off. */
  readonly metricsPort: number;
  readonly metricsHost: string;
  /** OTEL_BSP_SCHEDULE_DELAY: how long spans and logs wait in their batch before export. */
  readonly batchDelayMs: number;
  /** OTEL_METRIC_EXPORT_INTERVAL: how often metrics are pushed to the exporters. */
  readonly metricIntervalMs: number;
}

export const OTLP_PROTOCOLS = ['grpc', 'http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

export class TelemetryConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid telemetry configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = TelemetryConfigError.name;
  }
}

/** Validates the telemetry variables, or throws a TelemetryConfigError listing every problem. */
export function telemetryConfig(env: NodeJS.ProcessEnv): TelemetryConfig {
  const problems: string[] = [];
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined;
  const protocol = env.OTEL_EXPORTER_OTLP_PROTOCOL || 'http/protobuf';
  if (!OTLP_PROTOCOLS.includes(protocol as OtlpProtocol)) {
    problems.push(`OTEL_EXPORTER_OTLP_PROTOCOL must be one of ${OTLP_PROTOCOLS.join(', ')}`);
  }
  if (endpoint && !/^https?:\/\/\S+$/.test(endpoint)) {
    problems.push('OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL');
  }
  const metricsPort = Number(env.METRICS_PORT || 9464);
  if (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535) {
    problems.push('METRICS_PORT must be a port number, or 0 to turn /metrics off');
  }
  const batchDelayMs = positiveInteger(env, 'OTEL_BSP_SCHEDULE_DELAY', 5000, problems);
  const metricIntervalMs = positiveInteger(env, 'OTEL_METRIC_EXPORT_INTERVAL', 60000, problems);
  if (problems.length > 0) throw new TelemetryConfigError(problems);
  return {
    enabled: env.OTEL_SDK_DISABLED !== 'true',
    serviceName: env.OTEL_SERVICE_NAME || 'health-data-platform',
    otlpProtocol: endpoint ? (protocol as OtlpProtocol) : undefined,
    azureMonitorConnectionString: env.APPLICATIONINSIGHTS_CONNECTION_STRING || undefined,
    metricsPort,
    metricsHost: env.METRICS_HOST || '0.0.0.0',
    batchDelayMs,
    metricIntervalMs,
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, problems: string[]): number {
  const value = Number(env[name] || fallback);
  if (Number.isInteger(value) && value > 0) return value;
  problems.push(`${name} must be a positive number of milliseconds`);
  return fallback;
}
