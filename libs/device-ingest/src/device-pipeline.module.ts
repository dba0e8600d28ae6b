import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { RequestContextModule } from '@hdp/platform';
import { DeadLetterRepository } from './dead-letters/dead-letter.repository';
import { DeadLetter, DeadLetterSchema } from './dead-letters/dead-letter.schema';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { DeadLettersService } from './dead-letters/dead-letters.service';
import { IntakeBatch, IntakeBatchSchema } from './intake/intake-batch.schema';
import { IntakeController } from './intake/intake.controller';
import { IntakePoller } from './intake/intake.poller';
import { IntakeRepository } from './intake/intake.repository';
import { IntakeService } from './intake/intake.service';
import { DeviceMappingsProvider } from './pipeline/device-mappings.provider';
import { IngestMetrics } from './pipeline/ingest-metrics';
import { IngestPipelineFactory } from './pipeline/ingest-pipeline.factory';
import { OBSERVATION_SINK } from './pipeline/observation-sink';
import { StagedObservation, StagedObservationSchema } from './sinks/staged-observation.schema';
import { StagingObservationSink } from './sinks/staging-observation.sink';
import { EventHubSource } from './sources/event-hub.source';
import { DeviceTemplatesController } from './templates-admin/device-templates.controller';
import { TemplateTestService } from './templates-admin/template-test.service';

/**
 * The running device pipeline: Event Hubs and HTTP intake sources, dead letters, and the Observation sink
 * (DEVICE_OBSERVATION_SINK=staging until the FHIR store provides OBSERVATION_SINK). Needs the database.
 */
@Module({
  imports: [
    RequestContextModule,
    MongooseModule.forFeature([
      { name: DeadLetter.name, schema: DeadLetterSchema },
      { name: IntakeBatch.name, schema: IntakeBatchSchema },
      { name: StagedObservation.name, schema: StagedObservationSchema },
    ]),
  ],
  controllers: [IntakeController, DeadLettersController, DeviceTemplatesController],
  providers: [
    DeadLetterRepository,
    DeadLettersService,
    IntakeRepository,
    IntakeService,
    IntakePoller,
    DeviceMappingsProvider,
    IngestMetrics,
    IngestPipelineFactory,
    StagingObservationSink,
    { provide: OBSERVATION_SINK, useExisting: StagingObservationSink },
    EventHubSource,
    TemplateTestService,
  ],
  exports: [OBSERVATION_SINK, IngestPipelineFactory, IntakePoller, StagingObservationSink],
})
export class DevicePipelineModule {}
