import { Logger } from '@nestjs/common';
import { safeErrorSummary } from '@hdp/platform';
import { DeviceMappings } from '../device-mappings';
import { DeadLetter } from '../dead-letters/dead-letter.schema';
import { MeasurementGroup } from '../grouping/measurement-group';
import { MeasurementGrouper } from '../grouping/measurement-grouper';
import { SourceIdentity } from '../identity/device-identity.resolver';
import { ObservationReferences } from '../identity/observation-identity';
import { ResolvedIdentities } from '../identity/resolved-identities';
import { EventMapping, mapEvent, rawText } from './event-mapping';
import { IngestMetrics, IngestSource } from './ingest-metrics';
import { ObservationSink } from './observation-sink';
import { refusedGroupLetter } from '../dead-letters/refused-group';
import { BackoffOptions, retryUntilDone } from './retry';
import { TokenBucket } from './token-bucket';

/** One event from a source, with the position the source checkpoints (an Event Hubs event, an intake batch id). */
export interface SourceEvent<P> {
  readonly body: unknown;
  readonly position: P;
  readonly sequenceNumber?: number;
}

/** What every partition's pipeline shares. */
export interface PipelineDependencies {
  readonly mappings: () => DeviceMappings;
  readonly sink: ObservationSink;
  /** The resource ids of a message's device, patient and encounter (DEVICE_IDENTITY_RESOLUTION). */
  readonly resolveIdentity: (source: SourceIdentity) => Promise<ObservationReferences>;
  readonly deadLetters: { addMany(letters: readonly DeadLetter[]): Promise<void> };
  readonly metrics: IngestMetrics;
  readonly writeRate: TokenBucket;
  readonly backoff: BackoffOptions;
  readonly limits: { maxGroupSize: number; maxAgeMs: number; maxBuffered: number };
  /** Aborted at shutdown: retries stop, so nothing is checkpointed past what was written. */
  readonly stopping: AbortSignal;
}

/**
 * Normalise, group, write, checkpoint for one partition (or one intake batch). The checkpoint moves only
 * when every reading of every event up to it is in the store: after the grouper has been emptied into
 * the sink and the sink has resolved. Calls are serialised, as the Event Hubs SDK serialises a partition.
 */
export class PartitionPipeline<P> {
  private readonly logger = new Logger(PartitionPipeline.name);
  private readonly grouper: MeasurementGrouper;
  private readonly identities: ResolvedIdentities;
  private pending?: P;
  private queue: Promise<void> = Promise.resolve();
  private broken = false;

  constructor(
    private readonly deps: PipelineDependencies,
    private readonly origin: { source: IngestSource; partitionId?: string },
    private readonly commit: (position: P) => Promise<void>,
  ) {
    this.grouper = new MeasurementGrouper({
      ...deps.limits,
      periodOf: (type) => deps.mappings().periodOf(type),
    });
    this.identities = new ResolvedIdentities(deps.resolveIdentity);
  }

  /** Groups the events' readings; writes what fills up and, when the grouper is saturated, everything. */
  process(events: readonly SourceEvent<P>[]): Promise<void> {
    return this.serially(async () => {
      if (events.length === 0) return;
      this.deps.metrics.eventsReceived(this.origin.source, events.length);
      const { full, letters } = await this.group(events);
      await this.retry(() => this.deps.deadLetters.addMany(letters));
      await this.write(full);
      this.pending = events[events.length - 1].position;
      // Back-pressure: a saturated grouper is emptied before this call returns, so no new batch comes in meanwhile.
      if (this.grouper.saturated || this.grouper.buffered === 0) await this.flushAndCommit();
    });
  }

  /** On a timer: once a group is older than maxAgeMs, writes every open group and checkpoints. */
  flushIfDue(): Promise<void> {
    return this.serially(async () => {
      const due = this.grouper.flushDue();
      if (due.length > 0) {
        await this.write([...due, ...this.grouper.flushAll()]);
        this.identities.clear();
      }
      await this.commitPending();
    });
  }

  /** Writes every open group and checkpoints the last event (shutdown, partition handed over, end of batch). */
  close(): Promise<void> {
    return this.serially(() => this.flushAndCommit());
  }

  private async flushAndCommit(): Promise<void> {
    await this.write(this.grouper.flushAll());
    this.identities.clear();
    await this.commitPending();
  }

  private async commitPending(): Promise<void> {
    if (this.pending === undefined || this.grouper.buffered > 0) return;
    const position = this.pending;
    await this.retry(() => this.commit(position));
    if (this.pending === position) this.pending = undefined;
  }

  private async group(
    events: readonly SourceEvent<P>[],
  ): Promise<{ full: MeasurementGroup[]; letters: DeadLetter[] }> {
    const full: MeasurementGroup[] = [];
    const letters: DeadLetter[] = [];
    const mappings = this.deps.mappings();
    for (const event of events) {
      const mapped = await this.measurementsOf(mappings, event.body);
      if (!mapped.ok) {
        this.deps.metrics.eventDeadLettered(this.origin.source, mapped.failure.reason);
        letters.push(this.deadLetter(event, mapped.failure));
        continue;
      }
      this.deps.metrics.eventNormalized(this.origin.source);
      for (const measurement of mapped.measurements) full.push(...this.grouper.add(measurement));
    }
    return { full, letters };
  }

  /** The event's readings under the resource ids of their device, patient and encounter, or why not. */
  private async measurementsOf(mappings: DeviceMappings, body: unknown): Promise<EventMapping> {
    const mapped = mapEvent(mappings, body);
    return mapped.ok ? this.retry(() => this.identities.apply(mapped.measurements)) : mapped;
  }

  private deadLetter(
    event: SourceEvent<P>,
    failure: Omit<DeadLetter, 'source' | 'holds' | 'raw' | 'failedAt' | 'replayAttempts'>,
  ): DeadLetter {
    return {
      ...failure,
      source: this.origin.source,
      holds: 'event',
      ...(this.origin.partitionId === undefined ? {} : { partitionId: this.origin.partitionId }),
      ...(event.sequenceNumber === undefined ? {} : { sequenceNumber: event.sequenceNumber }),
      raw: rawText(event.body),
      failedAt: new Date(),
      replayAttempts: 0,
    };
  }

  private async write(groups: readonly MeasurementGroup[]): Promise<void> {
    if (groups.length === 0) return;
    await this.deps.writeRate.take(groups.length);
    const started = Date.now();
    const { written, refused } = await this.retry(() => this.deps.sink.upsert(groups, this.deps.mappings()));
    this.deps.metrics.observationsWritten(written, Date.now() - started);
    if (refused.length === 0) return;
    const letters = refused.map((refusal) => refusedGroupLetter(refusal, this.origin));
    letters.forEach(({ reason }) => this.deps.metrics.eventDeadLettered(this.origin.source, reason));
    await this.retry(() => this.deps.deadLetters.addMany(letters));
  }

  private retry<T>(operation: () => Promise<T>): Promise<T> {
    return retryUntilDone(operation, {
      ...this.deps.backoff,
      signal: this.deps.stopping,
      onFailure: (error) =>
        this.logger.warn(
          { error: safeErrorSummary(error), ...this.origin },
          'Store unavailable; backing off',
        ),
    });
  }

  /** One call at a time; after a failure nothing more is written or checkpointed (the source redelivers). */
  private serially(step: () => Promise<void>): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.broken) throw new Error('The partition pipeline stopped after a failure');
      try {
        await step();
      } catch (error) {
        this.broken = true;
        throw error;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
