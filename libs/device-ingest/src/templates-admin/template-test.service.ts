import { Injectable } from '@nestjs/common';
import { DeviceMappings } from '../device-mappings';
import { loadFhirTemplates } from '../templates/fhir/fhir-template.loader';
import { referencesOf } from '../identity/observation-identity';
import { DeviceTemplateTestDto, DeviceTemplateTestResponseDto } from './template-test.dto';

/**
 * MedTech's template debugging tool as an endpoint: runs one sample message through the given templates,
 * exactly as the pipeline would, and stores nothing. Errors are the pipeline's own: TemplateLoadError for a
 * template (every issue by its path), NormalizationError / FhirMappingError naming template and field. With a
 * FHIR template, `warnings` says where the two documents do not fit, as MedTech's mapping validator does.
 */
@Injectable()
export class TemplateTestService {
  run({ message, deviceTemplate, fhirTemplate }: DeviceTemplateTestDto): DeviceTemplateTestResponseDto {
    const mappings = new DeviceMappings(
      deviceTemplate,
      fhirTemplate === undefined ? undefined : loadFhirTemplates(fhirTemplate),
    );
    const measurements = mappings.normalize(message);
    if (fhirTemplate === undefined) return { measurements };
    const grouper = mappings.createGrouper({
      maxGroupSize: Infinity,
      maxAgeMs: Infinity,
      maxBuffered: Infinity,
    });
    measurements.forEach((m) => grouper.add(m));
    const observations = grouper
      .flushAll()
      .map((group) => mappings.toObservation(group, referencesOf(group)).observation);
    const warnings = mappings.warnings();
    return { measurements, observations, ...(warnings.length > 0 ? { warnings } : {}) };
  }
}
