import { Body, Headers, Param, Query } from '@nestjs/common';
import type { Bundle, Device } from 'fhir/r4';
import { FhirInteraction, FhirResource } from '../capabilities';
import { FhirBaseUrl } from '../http/fhir-base-url.decorator';
import { DEVICE_SEARCH_PARAMS } from './device-search';
import { DeviceResourceService } from './device-resource.service';

const RESOURCE = 'Device';

/** The FHIR R4 Device endpoint: devices, linked to patients by the device pipeline or by partners. */
@FhirResource(RESOURCE)
export class FhirDeviceController {
  constructor(private readonly devices: DeviceResourceService) {}

  @FhirInteraction(RESOURCE, 'read')
  read(@Param('id') id: string): Promise<Device> {
    return this.devices.read(id);
  }

  @FhirInteraction(RESOURCE, 'search-type', DEVICE_SEARCH_PARAMS)
  search(@FhirBaseUrl() base: string, @Query() query: Record<string, unknown>): Promise<Bundle> {
    return this.devices.search(base, query);
  }

  @FhirInteraction(RESOURCE, 'create')
  create(@Body() resource: unknown): Promise<Device> {
    return this.devices.create(resource);
  }

  @FhirInteraction(RESOURCE, 'update')
  update(@Param('id') id: string, @Body() resource: unknown, @Headers('if-match') ifMatch?: string) {
    return this.devices.update(id, resource, ifMatch);
  }
}
