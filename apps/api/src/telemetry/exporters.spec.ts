import { AzureMonitorTraceExporter } from '@azure/monitor-opentelemetry-exporter';
import { OTLPTraceExporter as OtlpGrpcTraces } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpJsonTraces } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoTraces } from '@opentelemetry/exporter-trace-otlp-proto';
import { configuredExporters } from './exporters';
import { telemetryConfig } from './telemetry-config';

describe(configuredExporters.name, () => {
  const exportersFor = (env: Record<string, string>) => configuredExporters(telemetryConfig(env));
  const shutdown = (exporters: ReturnType<typeof configuredExporters>) =>
    Promise.all(exporters.flatMap((e) => [e.spans.shutdown(), e.metrics.shutdown(), e.logs.shutdown()]));

  it('sends nothing anywhere when no destination is configured', () => {
    expect(exportersFor({})).toEqual([]);
  });

  it.each([
    ['grpc', OtlpGrpcTraces],
    ['http/protobuf', OtlpProtoTraces],
    ['http/json', OtlpJsonTraces],
  ])('exports over OTLP %s when the endpoint is set', async (protocol, exporterClass) => {
    const exporters = exportersFor({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317',
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    });
    expect(exporters).toHaveLength(1);
    expect(exporters[0].spans).toBeInstanceOf(exporterClass);
    await shutdown(exporters);
  });

  it('exports to OTLP and Azure Monitor together when both are configured', async () => {
    const exporters = exportersFor({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      APPLICATIONINSIGHTS_CONNECTION_STRING:
        'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:9/',
    });
    expect(exporters.map((e) => e.spans.constructor)).toEqual([OtlpProtoTraces, AzureMonitorTraceExporter]);
    await shutdown(exporters);
  });
});
