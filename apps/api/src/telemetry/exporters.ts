import {
  AzureMonitorLogExporter,
  AzureMonitorMetricExporter,
  AzureMonitorTraceExporter,
} from '@azure/monitor-opentelemetry-exporter';
import { OTLPLogExporter as OtlpGrpcLogs } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as OtlpJsonLogs } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpProtoLogs } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as OtlpGrpcMetrics } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as OtlpJsonMetrics } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OtlpProtoMetrics } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter as OtlpGrpcTraces } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpJsonTraces } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoTraces } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import {
  type IMetricReader,
  type PushMetricExporter,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { OtlpProtocol, TelemetryConfig } from './telemetry-config';

interface Exporters {
  spans: SpanExporter;
  metrics: PushMetricExporter;
  logs: LogRecordExporter;
}

/** OTLP exporters read OTEL_EXPORTER_OTLP_ENDPOINT (and headers, timeouts) from the environment themselves. */
const OTLP: Record<OtlpProtocol, () => Exporters> = {
  grpc: () => ({ spans: new OtlpGrpcTraces(), metrics: new OtlpGrpcMetrics(), logs: new OtlpGrpcLogs() }),
  'http/protobuf': () => ({
    spans: new OtlpProtoTraces(),
    metrics: new OtlpProtoMetrics(),
    logs: new OtlpProtoLogs(),
  }),
  'http/json': () => ({
    spans: new OtlpJsonTraces(),
    metrics: new OtlpJsonMetrics(),
    logs: new OtlpJsonLogs(),
  }),
};

function azureMonitor(connectionString: string): Exporters {
  return {
    spans: new AzureMonitorTraceExporter({ connectionString }),
    metrics: new AzureMonitorMetricExporter({ connectionString }),
    logs: new AzureMonitorLogExporter({ connectionString }),
  };
}

/** The configured destinations: OTLP, Azure Monitor, both, or none (then nothing is sent anywhere). */
export function configuredExporters(config: TelemetryConfig): Exporters[] {
  return [
    ...(config.otlpProtocol ? [OTLP[config.otlpProtocol]()] : []),
    ...(config.azureMonitorConnectionString ? [azureMonitor(config.azureMonitorConnectionString)] : []),
  ];
}

export interface Pipelines {
  spanProcessors: BatchSpanProcessor[];
  metricReaders: IMetricReader[];
  logRecordProcessors: BatchLogRecordProcessor[];
}

/** A batching processor or periodic reader in front of every exporter. */
export function pipelines(exporters: Exporters[], config: TelemetryConfig): Pipelines {
  const batch = { scheduledDelayMillis: config.batchDelayMs };
  return {
    spanProcessors: exporters.map((e) => new BatchSpanProcessor(e.spans, batch)),
    metricReaders: exporters.map(
      (e) =>
        new PeriodicExportingMetricReader({
          exporter: e.metrics,
          exportIntervalMillis: config.metricIntervalMs,
        }),
    ),
    logRecordProcessors: exporters.map((e) => new BatchLogRecordProcessor({ exporter: e.logs, ...batch })),
  };
}

/** The in-cluster scrape endpoint, on a port of its own so that the ingress never routes to it. */
export function prometheusReader(config: TelemetryConfig): PrometheusExporter | undefined {
  if (config.metricsPort === 0) return undefined;
  return new PrometheusExporter({ host: config.metricsHost, port: config.metricsPort, endpoint: '/metrics' });
}
