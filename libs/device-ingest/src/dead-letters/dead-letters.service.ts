import { Inject, Injectable } from '@nestjs/common';
import { DomainError, ErrorKind } from '@hdp/platform';
import { DeviceMappings } from '../device-mappings';
import { MeasurementGroup } from '../grouping/measurement-group';
import { ResolvedIdentities } from '../identity/resolved-identities';
import { DeviceMappingsProvider } from '../pipeline/device-mappings.provider';
import { EventFailure, mapEvent } from '../pipeline/event-mapping';
import { IngestPipelineFactory } from '../pipeline/ingest-pipeline.factory';
import { OBSERVATION_SINK, ObservationSink } from '../pipeline/observation-sink';
import { DeadLetterRecord, DeadLetterRepository } from './dead-letter.repository';
import { groupOf, refusedGroupFailure } from './refused-group';

export class DeadLetterNotFoundError extends DomainError {
  readonly kind = ErrorKind.NotFound;
}

export interface ReplayOutcome {
  readonly id: string;
  readonly outcome: 'replayed' | 'failed';
  readonly reason?: string;
  readonly observationsWritten?: number;
}

/** Lists dead letters and replays them through the current templates (re-read first). */
@Injectable()
export class DeadLettersService {
  constructor(
    private readonly letters: DeadLetterRepository,
    private readonly mappings: DeviceMappingsProvider,
    @Inject(OBSERVATION_SINK) private readonly sink: ObservationSink,
    private readonly pipelines: IngestPipelineFactory,
  ) {}

  list(limit: number): Promise<DeadLetterRecord[]> {
    return this.letters.list(limit);
  }

  async replay(id: string): Promise<ReplayOutcome> {
    const letter = await this.letters.find(id);
    if (!letter) throw new DeadLetterNotFoundError('No such dead letter.');
    return this.replayLetter(letter);
  }

  /** Replays up to `limit` dead letters, newest first; each succeeds or fails on its own. */
  async replayAll(limit: number): Promise<ReplayOutcome[]> {
    this.mappings.reload();
    const outcomes: ReplayOutcome[] = [];
    for (const letter of await this.letters.list(limit))
      outcomes.push(await this.replayLetter(letter, false));
    return outcomes;
  }

  private async replayLetter(letter: DeadLetterRecord, reload = true): Promise<ReplayOutcome> {
    const mappings = reload ? this.mappings.reload() : this.mappings.current();
    const grouped: ReplayGroups =
      letter.holds === 'group'
        ? { ok: true, groups: [groupOf(letter.raw)] } // the readings as refused, identities resolved
        : await this.grouped(letter, mappings);
    if (!grouped.ok) return this.failed(letter, grouped.failure);
    const { written, refused } = await this.sink.upsert(grouped.groups, mappings);
    if (refused.length > 0) return this.failed(letter, refusedGroupFailure(refused[0]));
    await this.letters.remove(letter.id);
    return { id: letter.id, outcome: 'replayed', observationsWritten: written };
  }

  /** The event's readings through the current templates, identities resolved again, grouped as one batch. */
  private async grouped(letter: DeadLetterRecord, mappings: DeviceMappings): Promise<ReplayGroups> {
    const normalized = mapEvent(mappings, letter.raw);
    const mapped = normalized.ok
      ? await new ResolvedIdentities(this.pipelines.dependencies.resolveIdentity).apply(
          normalized.measurements,
        )
      : normalized;
    if (!mapped.ok) return mapped;
    const grouper = mappings.createGrouper({
      maxGroupSize: Infinity,
      maxAgeMs: Infinity,
      maxBuffered: Infinity,
    });
    mapped.measurements.forEach((m) => grouper.add(m));
    return { ok: true, groups: grouper.flushAll() };
  }

  private async failed(letter: DeadLetterRecord, failure: EventFailure): Promise<ReplayOutcome> {
    await this.letters.recordFailedReplay(letter.id, failure);
    return { id: letter.id, outcome: 'failed', reason: failure.reason };
  }
}

type ReplayGroups = { ok: true; groups: MeasurementGroup[] } | { ok: false; failure: EventFailure };
