import { Injectable } from '@nestjs/common';
import { DeviceMappings } from './device-mappings';

/** The device pipeline's face for the rest of the service: loads a customer's mapping documents. */
@Injectable()
export class DeviceIngestService {
  /** Compiles a device mapping and a FHIR mapping document; throws TemplateLoadError (422) when invalid. */
  loadMappings(
    deviceTemplates: string | Buffer | object,
    fhirTemplates: string | Buffer | object,
  ): DeviceMappings {
    return DeviceMappings.load(deviceTemplates, fhirTemplates);
  }
}
