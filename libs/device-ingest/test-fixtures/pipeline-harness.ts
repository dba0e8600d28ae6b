import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Checkpoint, PartitionContext, ReceivedEventData } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { getConnectionToken } from '@nestjs/mongoose';
import { Test, TestingModule } from '@nestjs/testing';
import {
  ConfigModule,
  DatabaseModule,
  EnvSecretSource,
  loadConfig,
  OidcModule,
  SecretsModule,
} from '@hdp/platform';
import { TestDatabase } from '@hdp/testing';
import type { Observation } from 'fhir/r4';
import { Connection } from 'mongoose';
import { DevicePipelineModule, IngestPipelineFactory, OBSERVATION_SINK, ObservationSink } from '../src';
import { DeadLetterRepository } from '../src/dead-letters/dead-letter.repository';
import { DeviceIdentityResolver } from '../src/identity/device-identity.resolver';
import { DeviceMappingsProvider } from '../src/pipeline/device-mappings.provider';
import { IngestMetrics } from '../src/pipeline/ingest-metrics';
import { PipelineContext } from '../src/pipeline/pipeline-context';
import { readMedTechFixture } from './fixture-files';

export const HUB = {
  fullyQualifiedNamespace: 'hdp-test.servicebus.windows.net',
  eventHubName: 'device-readings',
  consumerGroup: '$Default',
};

/** Writes the MedTech sample mapping documents to a temporary folder; returns the env naming them. */
export function templateFiles(
  fhir = readMedTechFixture('basic_fhirmapping.json'),
  device = readMedTechFixture('basic_devicecontent.json'),
): {
  env: Record<string, string>;
  writeFhir(text: string): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'hdp-templates-'));
  const devicePath = join(dir, 'device.json');
  const fhirPath = join(dir, 'fhir.json');
  writeFileSync(devicePath, device);
  writeFileSync(fhirPath, fhir);
  return {
    env: { DEVICE_TEMPLATES_PATH: devicePath, FHIR_TEMPLATES_PATH: fhirPath },
    writeFhir: (text) => writeFileSync(fhirPath, text),
  };
}

/** A heart-rate message of the MedTech sample wearable, one reading at `second` past 10:00. */
export function heartRate(
  second: number,
  value = 60 + (second % 40),
  device = 'watch-1',
  patient = 'p-1',
): Record<string, string> {
  const at = new Date(Date.UTC(2024, 2, 1, 10, 0, 0) + second * 1000).toISOString();
  return { deviceid: device, patientid: patient, measurementdatetime: at, heartrate: String(value) };
}

/** The MedTech sample device templates, the heart rate also naming its encounter (`$.encounterid`). */
export const deviceTemplatesWithEncounter = () =>
  readMedTechFixture('basic_devicecontent.json').replace(
    '"patientIdExpression": "$.patientid",',
    '"patientIdExpression": "$.patientid",\n        "encounterIdExpression": "$.encounterid",',
  );

/** Runs events through a fresh partition pipeline of `pipelines`, then flushes it (as a source's end of batch). */
export async function ingest(pipelines: IngestPipelineFactory, bodies: readonly unknown[]): Promise<void> {
  const pipeline = pipelines.create<number>({ source: 'http' }, () => Promise.resolve());
  await pipeline.process(bodies.map((body, position) => ({ body, position })));
  await pipeline.close();
}

/** Event Hubs events as the SDK hands them to processEvents (body already decoded, or bytes). */
export function receivedEvents(bodies: readonly unknown[], firstSequence = 0): ReceivedEventData[] {
  return bodies.map((body, i) => ({
    body,
    sequenceNumber: firstSequence + i,
    offset: String((firstSequence + i) * 100),
    enqueuedTimeUtc: new Date(),
    partitionKey: null,
    properties: {},
    systemProperties: {},
    getRawAmqpMessage: () => {
      throw new Error('not used');
    },
  }));
}

/** The real blob checkpoint store on Azurite, in a container of its own. */
export async function azuriteCheckpointStore(): Promise<BlobCheckpointStore> {
  const connection = process.env.TEST_AZURITE_BLOB_CONNECTION_STRING;
  if (!connection)
    throw new Error('TEST_AZURITE_BLOB_CONNECTION_STRING is not set: run the suites with `npm test`');
  const container = new ContainerClient(connection, `checkpoints-${Math.random().toString(16).slice(2, 10)}`);
  await container.createIfNotExists();
  return new BlobCheckpointStore(container);
}

/** A PartitionContext whose updateCheckpoint writes to `store`, as the SDK's does. */
export function partitionContext(
  store: BlobCheckpointStore,
  partitionId: string,
  options: { lastEnqueued?: number; beforeCheckpoint?: () => Promise<void> | void } = {},
): PartitionContext {
  return {
    ...HUB,
    partitionId,
    ...(options.lastEnqueued === undefined
      ? {}
      : { lastEnqueuedEventProperties: { sequenceNumber: options.lastEnqueued } }),
    updateCheckpoint: async (event: ReceivedEventData) => {
      await options.beforeCheckpoint?.();
      await store.updateCheckpoint({
        ...HUB,
        partitionId,
        sequenceNumber: event.sequenceNumber,
        offset: event.offset,
      });
    },
  };
}

export async function checkpointOf(
  store: BlobCheckpointStore,
  partitionId: string,
): Promise<Checkpoint | undefined> {
  const all = await store.listCheckpoints(HUB.fullyQualifiedNamespace, HUB.eventHubName, HUB.consumerGroup);
  return all.find((c) => c.partitionId === partitionId);
}

/** A stored Observation as the test results collection holds it. */
export interface StoredObservation {
  readonly id: string;
  readonly patientId: string;
  readonly resource: Observation;
  readonly version: number;
}

export interface PipelineHarness {
  readonly pipelines: IngestPipelineFactory;
  readonly connection: Connection;
  readonly module: TestingModule;
  observations(): Promise<StoredObservation[]>;
  /** Closes the module; drops the database too unless another "replica" or restart still uses it. */
  close(keepDatabase?: boolean): Promise<void>;
}

/**
 * The real pipeline module (writing through the FHIR face) on a fresh database; `sink` wraps the real sink
 * when given. Identities are created from the messages (DEVICE_IDENTITY_RESOLUTION=Create) unless `env` says otherwise.
 */
export async function startPipeline(
  env: Record<string, string>,
  wrapSink?: (real: ObservationSink) => ObservationSink,
  database = new TestDatabase(),
): Promise<PipelineHarness> {
  const config = loadConfig({
    MONGODB_URI: database.uri,
    DEVICE_GROUP_MAX_AGE_MS: '3600000',
    DEVICE_IDENTITY_RESOLUTION: 'Create',
    ...env,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      SecretsModule.forRoot(
        new EnvSecretSource({
          MONGODB_URI: database.uri,
          SUBSCRIPTION_KEY_PEPPER: randomBytes(32).toString('hex'),
        }),
      ),
      OidcModule,
      DatabaseModule,
      DevicePipelineModule,
    ],
  }).compile();
  const connection = moduleRef.get<Connection>(getConnectionToken());
  const pipelines = wrapSink
    ? new IngestPipelineFactory(
        config,
        moduleRef.get(DeviceMappingsProvider),
        moduleRef.get(DeadLetterRepository),
        moduleRef.get(IngestMetrics),
        wrapSink(moduleRef.get(OBSERVATION_SINK)),
        moduleRef.get(DeviceIdentityResolver),
        moduleRef.get(PipelineContext),
      )
    : moduleRef.get(IngestPipelineFactory);
  return {
    pipelines,
    connection,
    module: moduleRef,
    observations: async () =>
      (await connection.collection('test_results').find({ deleted: false }).sort({ _id: 1 }).toArray()).map(
        (doc) => ({
          id: doc._id as unknown as string,
          patientId: doc.patientId as string,
          resource: doc.observation as Observation,
          version: doc.version as number,
        }),
      ),
    close: async (keepDatabase = false) => {
      pipelines.abort();
      if (!keepDatabase) await database.drop();
      await moduleRef.close();
    },
  };
}

/** Every reading (non-empty SampledData slot) of every stored Observation, as "time=value". */
export function readingsIn(observation: Observation): string[] {
  const data = observation.valueSampledData?.data?.split(' ') ?? [];
  const start = Date.parse(observation.effectivePeriod?.start ?? '');
  const period = observation.valueSampledData?.period ?? 1000;
  return data.flatMap((value, i) =>
    value === 'E' ? [] : [`${new Date(start + i * period).toISOString()}=${value}`],
  );
}
