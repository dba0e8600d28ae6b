import { Logger } from '@nestjs/common';
import type {
  CloseReason,
  PartitionContext,
  ReceivedEventData,
  SubscriptionEventHandlers,
} from '@azure/event-hubs';
import { safeErrorSummary } from '@hdp/platform';
import { IngestPipelineFactory } from '../pipeline/ingest-pipeline.factory';
import { PartitionPipeline } from '../pipeline/partition-pipeline';

/**
 * The seam with the Event Hubs SDK: the handlers `EventHubConsumerClient.subscribe` calls, one pipeline per
 * partition this replica owns. A partition's checkpoint is `context.updateCheckpoint` of the last event whose
 * readings the sink has durably written.
 */
export class EventHubHandlers implements SubscriptionEventHandlers {
  private readonly logger = new Logger(EventHubHandlers.name);
  private readonly partitions = new Map<string, PartitionPipeline<ReceivedEventData>>();

  constructor(private readonly pipelines: IngestPipelineFactory) {}

  processInitialize = (context: PartitionContext): Promise<void> => {
    this.pipelineOf(context);
    return Promise.resolve();
  };

  processEvents = async (events: ReceivedEventData[], context: PartitionContext): Promise<void> => {
    await this.pipelineOf(context).process(
      events.map((event) => ({
        body: event.body as unknown,
        position: event,
        sequenceNumber: event.sequenceNumber,
      })),
    );
    const last = events.at(-1);
    const enqueued = context.lastEnqueuedEventProperties?.sequenceNumber;
    if (last && enqueued !== undefined) {
      this.pipelines.dependencies.metrics.partitionLag(context.partitionId, enqueued, last.sequenceNumber);
    }
  };

  processError = (error: Error, context: PartitionContext): Promise<void> => {
    this.logger.error(
      { error: safeErrorSummary(error), partitionId: context.partitionId },
      'Event Hubs error',
    );
    return Promise.resolve();
  };

  /** Shutdown or ownership moved: write what is grouped and checkpoint before letting the partition go. */
  processClose = async (reason: CloseReason, context: PartitionContext): Promise<void> => {
    const pipeline = this.partitions.get(context.partitionId);
    this.partitions.delete(context.partitionId);
    try {
      await pipeline?.close();
    } catch (error) {
      this.logger.warn(
        { error: safeErrorSummary(error), partitionId: context.partitionId, reason },
        'Close failed',
      );
    }
  };

  /** Called on a timer: flushes and checkpoints the partitions whose oldest group is due. */
  async flushDue(): Promise<void> {
    await Promise.allSettled([...this.partitions.values()].map((pipeline) => pipeline.flushIfDue()));
  }

  private pipelineOf(context: PartitionContext): PartitionPipeline<ReceivedEventData> {
    let pipeline = this.partitions.get(context.partitionId);
    if (!pipeline) {
      pipeline = this.pipelines.create<ReceivedEventData>(
        { source: 'event-hub', partitionId: context.partitionId },
        (event) => context.updateCheckpoint(event),
      );
      this.partitions.set(context.partitionId, pipeline);
    }
    return pipeline;
  }
}
