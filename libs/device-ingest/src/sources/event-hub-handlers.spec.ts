import { CloseReason } from '@azure/event-hubs';
import { DomainError, ErrorKind } from '@hdp/platform';
import { TestDatabase } from '@hdp/testing';
import {
  azuriteCheckpointStore,
  checkpointOf,
  heartRate,
  partitionContext,
  readingsIn,
  receivedEvents,
  startPipeline,
  templateFiles,
} from '../../test-fixtures/pipeline-harness';
import { ObservationSink } from '../pipeline/observation-sink';
import { EventHubHandlers } from './event-hub-handlers';

/** A process kill: an error the pipeline does not retry (unlike an unavailable store), so it stops there. */
class SimulatedCrash extends DomainError {
  readonly kind = ErrorKind.Invalid;
}

/** Readings of two hours (hence two Observations), one event each. */
const bodies = Array.from({ length: 40 }, (_, i) => heartRate(i * 180));

describe(EventHubHandlers.name, () => {
  const templates = templateFiles();
  /** A grouper that saturates at 10 readings: it is emptied into the sink, and checkpointed, every 10 events. */
  const small = { ...templates.env, DEVICE_MAX_BUFFERED: '10' };

  it('checkpoints a partition on Azurite only after the sink has written its readings', async () => {
    const order: string[] = [];
    const harness = await startPipeline({ ...templates.env, DEVICE_MAX_BUFFERED: '20' }, (real) => ({
      upsert: async (groups, mappings) => {
        const result = await real.upsert(groups, mappings);
        order.push('written');
        return result;
      },
    }));
    const store = await azuriteCheckpointStore();
    const sut = new EventHubHandlers(harness.pipelines);
    const context = partitionContext(store, '0', {
      beforeCheckpoint: async () => {
        order.push(`checkpoint with ${(await harness.observations()).length} observations`);
      },
    });

    await sut.processInitialize(context);
    await sut.processEvents(receivedEvents(bodies.slice(0, 20)), context);
    await sut.processEvents(receivedEvents(bodies.slice(20), 20), context);

    expect(order).toEqual([
      'written',
      'checkpoint with 1 observations',
      'written',
      'checkpoint with 2 observations',
    ]);
    expect(await checkpointOf(store, '0')).toMatchObject({ sequenceNumber: 39, offset: '3900' });
    const stored = await harness.observations();
    expect(stored.flatMap((o) => readingsIn(o.resource))).toHaveLength(40);
    await harness.close();
  });

  it('keeps the checkpoint still while the store is unavailable, and moves it once the write succeeds', async () => {
    let available = false;
    let attempts = 0;
    const harness = await startPipeline({ ...templates.env, DEVICE_MAX_BUFFERED: '5' }, (real) => ({
      upsert: (groups, mappings) => {
        attempts++;
        return available ? real.upsert(groups, mappings) : Promise.reject(new Error('connection refused'));
      },
    }));
    const store = await azuriteCheckpointStore();
    const sut = new EventHubHandlers(harness.pipelines);
    const context = partitionContext(store, '3');

    const processing = sut.processEvents(receivedEvents(bodies.slice(0, 5), 100), context);
    // Identities are resolved (created) first; then the write fails and is retried, backing off.
    for (let waited = 0; attempts < 2 && waited < 10_000; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(attempts).toBeGreaterThan(1);
    expect(await checkpointOf(store, '3')).toBeUndefined();
    available = true;
    await processing;

    expect(await checkpointOf(store, '3')).toMatchObject({ sequenceNumber: 104 });
    expect((await harness.observations()).flatMap((o) => readingsIn(o.resource))).toHaveLength(5);
    await harness.close();
  });

  it('on shutdown, writes the groups still open and checkpoints the last event', async () => {
    const harness = await startPipeline(small);
    const store = await azuriteCheckpointStore();
    const sut = new EventHubHandlers(harness.pipelines);
    const context = partitionContext(store, '4', { lastEnqueued: 60 });

    await sut.processEvents(receivedEvents(bodies.slice(0, 5), 50), context);
    expect(await harness.observations()).toEqual([]);
    expect(await checkpointOf(store, '4')).toBeUndefined();
    await sut.processClose(CloseReason.Shutdown, context);

    const [stored] = await harness.observations();
    expect(readingsIn(stored.resource)).toHaveLength(5);
    expect(await checkpointOf(store, '4')).toMatchObject({ sequenceNumber: 54 });
    await harness.close();
  });

  it('after a crash between the Observation write and the checkpoint, the restart redelivers and nothing is counted twice', async () => {
    const database = new TestDatabase();
    const store = await azuriteCheckpointStore();
    const first = await startPipeline(small, undefined, database);
    const crashed = new EventHubHandlers(first.pipelines);
    let crashNow = false;
    const context = partitionContext(store, '1', {
      beforeCheckpoint: () => {
        if (crashNow) throw new SimulatedCrash('process killed');
      },
    });
    await crashed.processEvents(receivedEvents(bodies.slice(0, 10)), context);
    crashNow = true;
    await expect(crashed.processEvents(receivedEvents(bodies.slice(10, 20), 10), context)).rejects.toThrow(
      SimulatedCrash,
    );
    const [written] = await first.observations();
    expect(readingsIn(written.resource)).toHaveLength(20);
    await first.close(true);

    const restarted = await startPipeline(small, undefined, database);
    const from = (await checkpointOf(store, '1'))?.sequenceNumber ?? -1;
    expect(from).toBe(9);
    const sut = new EventHubHandlers(restarted.pipelines);
    for (let next = from + 1; next < bodies.length; next += 10) {
      await sut.processEvents(
        receivedEvents(bodies.slice(next, next + 10), next),
        partitionContext(store, '1'),
      );
    }
    await sut.processClose(CloseReason.Shutdown, partitionContext(store, '1'));

    const stored = await restarted.observations();
    const readings = stored.flatMap((o) => readingsIn(o.resource));
    expect(stored).toHaveLength(2);
    expect(readings).toHaveLength(40);
    expect(new Set(readings).size).toBe(40);
    // The redelivered hour changed nothing: same readings, no new revision.
    expect(stored.find((o) => o.id === written.id)?.version).toBe(written.version);
    expect(await checkpointOf(store, '1')).toMatchObject({ sequenceNumber: 39 });
    await restarted.close();
  });

  it('after a crash in the middle of writing a batch, the restart completes it exactly once', async () => {
    const database = new TestDatabase();
    const store = await azuriteCheckpointStore();
    const first = await startPipeline(
      small,
      (real): ObservationSink => ({
        upsert: async (groups, mappings) => {
          await real.upsert(groups.slice(0, 1), mappings);
          throw new SimulatedCrash('process killed after the first Observation');
        },
      }),
      database,
    );
    await expect(
      new EventHubHandlers(first.pipelines).processEvents(
        receivedEvents(bodies),
        partitionContext(store, '2'),
      ),
    ).rejects.toThrow(SimulatedCrash);
    expect(await first.observations()).toHaveLength(1);
    expect(await checkpointOf(store, '2')).toBeUndefined();
    await first.close(true);

    const restarted = await startPipeline(small, undefined, database);
    const sut = new EventHubHandlers(restarted.pipelines);
    await sut.processEvents(receivedEvents(bodies), partitionContext(store, '2'));
    await sut.processClose(CloseReason.Shutdown, partitionContext(store, '2'));

    const stored = await restarted.observations();
    const readings = stored.flatMap((o) => readingsIn(o.resource));
    expect(stored).toHaveLength(2);
    expect(readings).toHaveLength(40);
    expect(new Set(readings).size).toBe(40);
    expect(await checkpointOf(store, '2')).toMatchObject({ sequenceNumber: 39 });
    await restarted.close();
  });
});
