import { Injectable } from '@nestjs/common';
import { metrics } from '@opentelemetry/api';

/** Where an event came from; metric attributes carry only these, never a reading or a device id. */
export type IngestSource = 'event-hub' | 'http';

/** The device pipeline's OpenTelemetry instruments. */
@Injectable()
export class IngestMetrics {
  private readonly meter = metrics.getMeter('device-ingest');
  private readonly received = this.meter.createCounter('device_ingest.events.received');
  private readonly normalized = this.meter.createCounter('device_ingest.events.normalized');
  private readonly deadLettered = this.meter.createCounter('device_ingest.events.dead_lettered');
  private readonly written = this.meter.createCounter('device_ingest.observations.written');
  private readonly reloads = this.meter.createCounter('device_ingest.templates.reloads');
  private readonly flushLatency = this.meter.createHistogram('device_ingest.flush.duration', { unit: 'ms' });
  private readonly lag = new Map<string, number>();

  constructor() {
    this.meter
      .createObservableGauge('device_ingest.partition.lag', {
        description: 'events enqueued but not processed',
      })
      .addCallback((result) => this.lag.forEach((value, partition) => result.observe(value, { partition })));
  }

  eventsReceived(source: IngestSource, count: number): void {
    this.received.add(count, { source });
  }

  eventNormalized(source: IngestSource): void {
    this.normalized.add(1, { source });
  }

  eventDeadLettered(source: IngestSource, reason: string): void {
    this.deadLettered.add(1, { source, reason });
  }

  observationsWritten(count: number, durationMs: number): void {
    this.written.add(count);
    this.flushLatency.record(durationMs);
  }

  /** A replacement of the mapping templates: taken, rejected as invalid, or unreadable (file missing). */
  templatesReloaded(outcome: 'accepted' | 'rejected' | 'unreadable'): void {
    this.reloads.add(1, { outcome });
  }

  partitionLag(partition: string, lastEnqueued: number, processed: number): void {
    this.lag.set(partition, Math.max(0, lastEnqueued - processed));
  }
}
