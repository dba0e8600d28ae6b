import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EventHubConsumerClient, earliestEventPosition, Subscription } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { DefaultAzureCredential } from '@azure/identity';
import { ContainerClient } from '@azure/storage-blob';
import { AppConfig } from '@hdp/platform';
import { IngestPipelineFactory } from '../pipeline/ingest-pipeline.factory';
import { EventHubHandlers } from './event-hub-handlers';

const FLUSH_CHECK_MS = 1000;

/**
 * Reads the device Event Hub when DEVICE_INGEST_ENABLED and EVENTHUB_NAME are set. Partitions are balanced
 * across replicas by the SDK through the blob checkpoint store (where KEDA reads the lag too).
 */
@Injectable()
export class EventHubSource implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private client?: EventHubConsumerClient;
  private subscription?: Subscription;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    private readonly pipelines: IngestPipelineFactory,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.DEVICE_INGEST_ENABLED || this.config.EVENTHUB_NAME === '') return;
    const handlers = new EventHubHandlers(this.pipelines);
    this.client = createConsumerClient(this.config);
    this.subscription = this.client.subscribe(handlers, {
      startPosition: earliestEventPosition,
      maxBatchSize: 500,
      maxWaitTimeInSeconds: 1,
      trackLastEnqueuedEventProperties: true,
    });
    this.timer = setInterval(() => void handlers.flushDue(), FLUSH_CHECK_MS);
  }

  /** Stops receiving; the SDK then closes each partition, which flushes its groups and checkpoints. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.subscription?.close();
    await this.client?.close();
  }
}

function createConsumerClient(config: AppConfig): EventHubConsumerClient {
  const group = config.EVENTHUB_CONSUMER_GROUP;
  if (config.EVENTHUB_CONNECTION_STRING !== '') {
    const store = new BlobCheckpointStore(
      new ContainerClient(config.CHECKPOINT_STORAGE_CONNECTION_STRING, config.CHECKPOINT_CONTAINER),
    );
    return new EventHubConsumerClient(group, config.EVENTHUB_CONNECTION_STRING, config.EVENTHUB_NAME, store);
  }
  // On AKS: the pod's workload identity, for Event Hubs data receiver and blob data contributor.
  const credential = new DefaultAzureCredential();
  const container = `${config.CHECKPOINT_STORAGE_ACCOUNT_URL.replace(/\/$/, '')}/${config.CHECKPOINT_CONTAINER}`;
  const store = new BlobCheckpointStore(new ContainerClient(container, credential));
  return new EventHubConsumerClient(
    group,
    config.EVENTHUB_NAMESPACE,
    config.EVENTHUB_NAME,
    credential,
    store,
  );
}
