import { telemetryConfig, TelemetryConfigError } from './telemetry-config';

describe(telemetryConfig.name, () => {
  it('exports nothing and serves /metrics on 9464 when no exporter is configured', () => {
    expect(telemetryConfig({})).toEqual({
      enabled: true,
      serviceName: 'health-data-platform',
      otlpProtocol: undefined,
      azureMonitorConnectionString: undefined,
      metricsPort: 9464,
      metricsHost: '0.0.0.0',
      batchDelayMs: 5000,
      metricIntervalMs: 60000,
    });
  });

  it('exports over OTLP when an endpoint is set, by default with http/protobuf', () => {
    expect(telemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).otlpProtocol).toBe(
      'http/protobuf',
    );
    const grpc = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    };
    expect(telemetryConfig(grpc).otlpProtocol).toBe('grpc');
  });

  it('exports to Azure Monitor when a connection string is set', () => {
    const env = { APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=test' };
    expect(telemetryConfig(env).azureMonitorConnectionString).toBe('InstrumentationKey=test');
  });

  it('turns everything off with the standard OTEL_SDK_DISABLED', () => {
    expect(telemetryConfig({ OTEL_SDK_DISABLED: 'true' }).enabled).toBe(false);
  });

  it('names every bad variable at once', () => {
    const attempt = () =>
      telemetryConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'thrift',
        METRICS_PORT: '70000',
        OTEL_BSP_SCHEDULE_DELAY: 'soon',
      });
    expect(attempt).toThrow(TelemetryConfigError);
    expect(attempt).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL[\s\S]*OTEL_EXPORTER_OTLP_ENDPOINT[\s\S]*METRICS_PORT[\s\S]*OTEL_BSP_SCHEDULE_DELAY/,
    );
  });
});
