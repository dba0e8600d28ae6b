export { DeviceIngestModule } from './device-ingest.module';
export { DeviceIngestService } from './device-ingest.service';
export { DeviceMappings } from './device-mappings';
export { FhirMappingError, FhirMappingFailure } from './errors/fhir-mapping.error';
export { NormalizationError, NormalizationFailure } from './errors/normalization.error';
export { TemplateLoadError } from './errors/template-load.error';
export { ExpressionLanguage } from './expressions/expression';
export { mergeObservation } from './fhir/observation-merge';
export type { ObservationMerge } from './fhir/observation-merge';
export { createObservation } from './fhir/observation.mapper';
export type { ObservationInput } from './fhir/observation.mapper';
export { MeasurementGrouper } from './grouping/measurement-grouper';
export type { Clock, MeasurementGrouperOptions } from './grouping/measurement-grouper';
export type { MeasurementGroup } from './grouping/measurement-group';
export { PeriodInterval } from './grouping/period-interval';
export {
  MEDTECH_IDENTIFIER_SYSTEM,
  observationIdentifier,
  observationResourceId,
} from './identity/observation-identity';
export type { ObservationReferences } from './identity/observation-identity';
export { DeviceNormalizer } from './normalization/device-normalizer';
export type { Measurement, MeasurementProperty } from './normalization/measurement';
export { UtcInstant } from './common/utc-instant';
export { loadDeviceTemplates } from './templates/device/device-template.loader';
export { DeviceTemplateType } from './templates/device/device-template.types';
export type {
  CollectionContent,
  CompiledDeviceTemplate,
  DeviceContentTemplate,
} from './templates/device/device-template.types';
export { loadFhirTemplates } from './templates/fhir/fhir-template.loader';
export { FhirValueType } from './templates/fhir/fhir-template.types';
export type { CodeValueFhirTemplate, FhirValueTemplate } from './templates/fhir/fhir-template.types';
export { DevicePipelineModule } from './device-pipeline.module';
export { OBSERVATION_SINK } from './pipeline/observation-sink';
export type { ObservationSink } from './pipeline/observation-sink';
export { IngestPipelineFactory } from './pipeline/ingest-pipeline.factory';
export { PartitionPipeline } from './pipeline/partition-pipeline';
export type { PipelineDependencies, SourceEvent } from './pipeline/partition-pipeline';
export { EventHubHandlers } from './sources/event-hub-handlers';
export { IntakePoller } from './intake/intake.poller';
export { DEVICE_PIPELINE_PRINCIPAL } from './pipeline/pipeline-context';
export { IdentityFailure } from './errors/identity-resolution.error';
