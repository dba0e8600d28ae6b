import { FieldIssue } from '@hdp/platform';
import type { Observation } from 'fhir/r4';
import { FhirMappingError, FhirMappingFailure } from './errors/fhir-mapping.error';
import { mergeObservation, ObservationMerge } from './fhir/observation-merge';
import { createObservation } from './fhir/observation.mapper';
import { MeasurementGroup } from './grouping/measurement-group';
import { MeasurementGrouper, MeasurementGrouperOptions } from './grouping/measurement-grouper';
import { PeriodInterval } from './grouping/period-interval';
import { ObservationReferences } from './identity/observation-identity';
import { DeviceNormalizer } from './normalization/device-normalizer';
import { Measurement } from './normalization/measurement';
import { loadDeviceTemplates } from './templates/device/device-template.loader';
import { CompiledDeviceTemplate } from './templates/device/device-template.types';
import { loadFhirTemplates } from './templates/fhir/fhir-template.loader';
import { CodeValueFhirTemplate } from './templates/fhir/fhir-template.types';
import { mappingWarnings } from './templates/mapping-compatibility';

/** A customer's pair of mapping documents, loaded and compiled: device messages in, Observations out. */
export class DeviceMappings {
  private readonly deviceTemplates: readonly CompiledDeviceTemplate[];
  private readonly normalizer: DeviceNormalizer;

  constructor(
    deviceTemplates: string | Buffer | object,
    private readonly fhirTemplates: ReadonlyMap<string, CodeValueFhirTemplate> = new Map(),
  ) {
    this.deviceTemplates = loadDeviceTemplates(deviceTemplates);
    this.normalizer = new DeviceNormalizer(this.deviceTemplates);
  }

  /** Loads both documents; throws TemplateLoadError naming every problem. */
  static load(
    deviceTemplates: string | Buffer | object,
    fhirTemplates: string | Buffer | object,
  ): DeviceMappings {
    return new DeviceMappings(deviceTemplates, loadFhirTemplates(fhirTemplates));
  }

  /** Where the two documents load but do not fit (MedTech's validator warnings); each names templates only. */
  warnings(): FieldIssue[] {
    return mappingWarnings(this.deviceTemplates, this.fhirTemplates);
  }

  /** The measurements in one device message (none when no template matches). */
  normalize(message: unknown): Measurement[] {
    return this.normalizer.normalize(message);
  }

  /** The period interval of a measurement type; throws FhirMappingError when no FHIR template maps it. */
  periodOf(type: string): PeriodInterval {
    return this.templateOf(type).periodInterval;
  }

  /** A grouper that groups each type by its FHIR template's period interval. */
  createGrouper(limits: Omit<MeasurementGrouperOptions, 'periodOf'>): MeasurementGrouper {
    return new MeasurementGrouper({ ...limits, periodOf: (type) => this.periodOf(type) });
  }

  /** A new Observation for the group (issued `now`), or the merge of the group into the stored one. */
  toObservation(
    group: MeasurementGroup,
    references: ObservationReferences,
    existing?: Observation,
    now = new Date(),
  ): ObservationMerge {
    const input = { template: this.templateOf(group.type), group, references };
    return existing
      ? mergeObservation(existing, input)
      : { observation: createObservation(input, now), changed: true };
  }

  private templateOf(type: string): CodeValueFhirTemplate {
    const template = this.fhirTemplates.get(type);
    if (template === undefined) throw new FhirMappingError(FhirMappingFailure.NoTemplate, type);
    return template;
  }
}
