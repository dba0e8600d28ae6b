import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';

class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * An in-memory OpenTelemetry MeterProvider installed globally: register it before the app starts (meters
 * are taken at construction), then read a counter's value by name and attributes.
 */
export class TestMetrics {
  private readonly reader = new CollectingReader();

  constructor() {
    metrics.disable();
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [this.reader] }));
  }

  /** The summed value of the metric's data points whose attributes include `attributes`. */
  async value(name: string, attributes: Record<string, string> = {}): Promise<number> {
    const { resourceMetrics } = await this.reader.collect();
    const points = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .filter((metric) => metric.descriptor.name === name)
      .flatMap((metric) => metric.dataPoints as { attributes: Record<string, unknown>; value: unknown }[]);
    return points
      .filter((point) => Object.entries(attributes).every(([key, value]) => point.attributes[key] === value))
      .reduce((sum, point) => sum + (typeof point.value === 'number' ? point.value : 0), 0);
  }
}
