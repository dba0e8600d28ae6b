import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@hdp/platform';
import { DeadLetterRepository } from '../dead-letters/dead-letter.repository';
import { DeviceIdentityResolver } from '../identity/device-identity.resolver';
import { DeviceMappingsProvider } from './device-mappings.provider';
import { IngestMetrics, IngestSource } from './ingest-metrics';
import { OBSERVATION_SINK, ObservationSink } from './observation-sink';
import { PartitionPipeline, PipelineDependencies } from './partition-pipeline';
import { PipelineContext } from './pipeline-context';
import { TokenBucket } from './token-bucket';

/** Builds partition pipelines that share one sink, one write-rate bucket and one shutdown signal. */
@Injectable()
export class IngestPipelineFactory implements OnApplicationShutdown {
  private readonly stopping = new AbortController();
  readonly dependencies: PipelineDependencies;

  constructor(
    config: AppConfig,
    mappings: DeviceMappingsProvider,
    deadLetters: DeadLetterRepository,
    metrics: IngestMetrics,
    @Inject(OBSERVATION_SINK) sink: ObservationSink,
    identities: DeviceIdentityResolver,
    context: PipelineContext,
  ) {
    this.dependencies = {
      mappings: () => mappings.current(),
      sink,
      resolveIdentity: (source) => context.run(() => identities.resolve(source)),
      deadLetters,
      metrics,
      writeRate: new TokenBucket(config.DEVICE_WRITES_PER_SECOND),
      backoff: { baseMs: 100, maxMs: 30_000 },
      limits: {
        maxGroupSize: config.DEVICE_GROUP_MAX_SIZE,
        maxAgeMs: config.DEVICE_GROUP_MAX_AGE_MS,
        maxBuffered: config.DEVICE_MAX_BUFFERED,
      },
      stopping: this.stopping.signal,
    };
  }

  create<P>(
    origin: { source: IngestSource; partitionId?: string },
    commit: (position: P) => Promise<void>,
  ): PartitionPipeline<P> {
    return new PartitionPipeline(this.dependencies, origin, commit);
  }

  /** Stops every retry: what is not yet written stays uncheckpointed and is redelivered after restart. */
  abort(): void {
    this.stopping.abort();
  }

  /** Runs after the sources' beforeApplicationShutdown has flushed and checkpointed what it could. */
  onApplicationShutdown(): void {
    this.abort();
  }
}
