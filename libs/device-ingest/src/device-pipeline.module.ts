import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { FhirModule } from '@hdp/fhir';
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
import { DeviceIdentityResolver } from './identity/device-identity.resolver';
import { PipelineContext } from './pipeline/pipeline-context';
import { FhirObservationSink } from './sinks/fhir-observation.sink';
import { EventHubSource } from './sources/event-hub.source';
import { DeviceTemplatesController } from './templates-admin/device-templates.controller';
import { TemplateTestService } from './templates-admin/template-test.service';

/**
 * The running device pipeline: Event Hubs and HTTP intake sources, identity resolution, dead letters, and
 * the Observation sink, which writes through the FHIR face. Needs the database.
 */
@Module({
  imports: [
    RequestContextModule,
    FhirModule,
    MongooseModule.forFeature([
      { name: DeadLetter.name, schema: DeadLetterSchema },
      { name: IntakeBatch.name, schema: IntakeBatchSchema },
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
    PipelineContext,
    DeviceIdentityResolver,
    FhirObservationSink,
    { provide: OBSERVATION_SINK, useExisting: FhirObservationSink },
    EventHubSource,
    TemplateTestService,
  ],
  exports: [OBSERVATION_SINK, IngestPipelineFactory, IntakePoller],
})
export class DevicePipelineModule {}
