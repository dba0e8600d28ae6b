import { NodeSDK } from '@opentelemetry/sdk-node';
import { createAllowListAttributesProcessor } from '@opentelemetry/sdk-metrics';
import { configuredExporters, pipelines, prometheusReader } from './exporters';
import { instrumentations } from './instrumentations';
import { PhiRedactingSpanProcessor, SAFE_METRIC_ATTRIBUTES } from './phi-redaction';
import type { TelemetryConfig } from './telemetry-config';

/** The running OpenTelemetry SDK; shutdown() flushes what is still batched. */
export class Telemetry {
  constructor(private readonly sdk?: NodeSDK) {}

  async shutdown(): Promise<void> {
    await this.sdk?.shutdown();
  }
}

/**
 * Starts tracing, metrics and log correlation. Must run before express, mongoose, mongodb, ioredis and
 * pino are first required, since instrumentation patches modules as they load.
 */
export function startTelemetry(config: TelemetryConfig): Telemetry {
  if (!config.enabled) return new Telemetry();
  const exporters = configuredExporters(config);
  const { spanProcessors, metricReaders, logRecordProcessors } = pipelines(exporters, config);
  const prometheus = prometheusReader(config);
  const sdk = new NodeSDK({
    serviceName: config.serviceName,
    // Redaction first: the processors after it, and so the exporters, only see redacted spans. With no
    // exporter it is the only processor, which keeps spans (and so W3C trace ids) without sending them.
    spanProcessors: [new PhiRedactingSpanProcessor(), ...spanProcessors],
    metricReaders: prometheus ? [...metricReaders, prometheus] : metricReaders,
    views: [
      {
        instrumentName: '*',
        attributesProcessors: [createAllowListAttributesProcessor(SAFE_METRIC_ATTRIBUTES)],
      },
    ],
    logRecordProcessors,
    instrumentations: instrumentations({
      sendLogs: logRecordProcessors.length > 0,
      metricsPort: prometheus ? config.metricsPort : undefined,
    }),
  });
  sdk.start();
  return new Telemetry(sdk);
}
