import { Injectable } from '@nestjs/common';
import type { Bundle, Device } from 'fhir/r4';
import { DevicesService } from '@hdp/patients';
import { FhirValidationError } from '../fhir-validation';
import { searchsetBundle } from '../search/searchset';
import { toDeviceSearch } from './device-search';
import { fromFhirDevice, toFhirDevice } from './device.mapper';

/**
 * FHIR Device interactions over the device records: every one goes through DevicesService, so it is
 * access-checked and audited there. Nothing is stored here. The device pipeline resolves its devices
 * (MedTech `Lookup` and `Create`) through `findByIdentifier` and `createLinked`.
 */
@Injectable()
export class DeviceResourceService {
  constructor(private readonly devices: DevicesService) {}

  async read(id: string): Promise<Device> {
    return toFhirDevice(await this.devices.read(id));
  }

  async create(resource: unknown): Promise<Device> {
    const { patientId, content } = fromFhirDevice(resource);
    return toFhirDevice(await this.devices.create(patientId, content));
  }

  /**
   * Versioned update: If-Match is required (428 without, 412 when stale); the body id must be the URL's.
   * A device linked to a patient cannot be re-linked to another or unlinked (409).
   */
  async update(id: string, resource: unknown, ifMatch: string | undefined): Promise<Device> {
    const { patientId, content } = fromFhirDevice(resource);
    if ((resource as Device).id !== id)
      throw new FhirValidationError([{ path: 'Device.id', message: 'must equal the id in the URL' }]);
    return toFhirDevice(await this.devices.update(id, patientId, content, ifMatch));
  }

  async search(base: string, query: Record<string, unknown>): Promise<Bundle> {
    const page = await this.devices.search(toDeviceSearch(query));
    return searchsetBundle(base, 'Device', query, page.items.map(toFhirDevice), page.next);
  }

  /** The Device with this identifier (its patient in `Device.patient`), or undefined; 412 when several hold it. */
  async findByIdentifier(system: string, value: string): Promise<Device | undefined> {
    const found = await this.devices.findByIdentifier({ system, value });
    return found && toFhirDevice(found);
  }

  /**
   * The Device with this identifier, linked to `patientId` (a live patient): created when missing, linked
   * when unlinked, returned as it is when already linked to that patient. Parallel calls with one identifier
   * yield one Device. A Device linked to another patient: DeviceLinkedElsewhereError (409), never a re-link.
   */
  async createLinked(identifier: { system: string; value: string }, patientId: string): Promise<Device> {
    return toFhirDevice(await this.devices.createLinked(identifier, patientId));
  }
}
