import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, safeErrorSummary } from '@hdp/platform';
import { IngestPipelineFactory } from '../pipeline/ingest-pipeline.factory';
import { sleep } from '../pipeline/token-bucket';
import { IntakeRepository } from './intake.repository';

/** A claimed batch not finished within this time (a crashed replica) is claimed again by another. */
const LEASE_MS = 120_000;

/** Takes queued HTTP batches through the pipeline; a batch is deleted once its readings are written. */
@Injectable()
export class IntakePoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(IntakePoller.name);
  private readonly stop = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly config: AppConfig,
    private readonly intake: IntakeRepository,
    private readonly pipelines: IngestPipelineFactory,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.DEVICE_INGEST_ENABLED) this.loop = this.run();
  }

  /** Stops claiming; the batch in hand is finished (flushed and deleted) before the app goes on closing. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.loop;
  }

  /** Processes every claimable batch; returns how many. */
  async drain(): Promise<number> {
    let done = 0;
    for (let batch = await this.intake.claim(LEASE_MS); batch; batch = await this.intake.claim(LEASE_MS)) {
      const id = batch.id;
      const pipeline = this.pipelines.create<string>({ source: 'http' }, () => this.intake.remove(id));
      await pipeline.process(batch.events.map((body) => ({ body, position: id })));
      await pipeline.close();
      done++;
      if (this.stop.signal.aborted) break;
    }
    return done;
  }

  private async run(): Promise<void> {
    while (!this.stop.signal.aborted) {
      try {
        await this.drain();
      } catch (error) {
        this.logger.warn({ error: safeErrorSummary(error) }, 'Intake batch failed; it will be claimed again');
      }
      await sleep(this.config.DEVICE_INTAKE_POLL_MS, this.stop.signal);
    }
  }
}
