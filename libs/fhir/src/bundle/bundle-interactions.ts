import { Injectable } from '@nestjs/common';
import type { BundleEntry, FhirResource } from 'fhir/r4';
import { ObservationResourceService } from '../observation/observation-resource.service';
import { PatientResourceService } from '../patient/patient-resource.service';
import type { CreateEntry, RequestEntry } from './bundle-entries';

/** What one entry did: the resource it wrote or read (none for a deletion) and the status it answers with. */
interface Done {
  readonly status: 200 | 201 | 204;
  readonly resource?: FhirResource;
}

const STATUS_TEXT = { 200: '200 OK', 201: '201 Created', 204: '204 No Content' } as const;

/**
 * Runs one Bundle entry as its single interaction would run: through the same resource service, so with the
 * same access checks, compartment and ledger entries. Answers the entry's `response` as the spec lays it
 * out: `status`, `location` (of what was written, with its version), `etag`, `lastModified`.
 */
@Injectable()
export class BundleInteractions {
  constructor(
    private readonly patients: PatientResourceService,
    private readonly observations: ObservationResourceService,
  ) {}

  async run(base: string, entry: RequestEntry): Promise<BundleEntry> {
    return responseEntry(base, await this.perform(base, entry));
  }

  private async perform(base: string, entry: RequestEntry): Promise<Done> {
    const service = entry.type === 'Patient' ? this.patients : this.observations;
    switch (entry.action) {
      case 'create':
        return entry.ifNoneExist
          ? this.createIfNoneExist(entry)
          : { status: 201, resource: await service.create(entry.resource, entry.id) };
      case 'update':
        return { status: 200, resource: await service.update(entry.id, entry.resource, entry.ifMatch) };
      case 'conditional-update': {
        const precondition = { ifMatch: entry.ifMatch };
        const { resource, created } =
          entry.type === 'Patient'
            ? await this.patients.updateByIdentifier(entry.criterion, entry.resource, entry.ifMatch)
            : await this.observations.updateByIdentifier(entry.criterion, entry.resource, precondition);
        return { status: created ? 201 : 200, resource };
      }
      case 'delete':
        await service.delete(entry.id, entry.ifMatch);
        return { status: 204 };
      case 'read':
        return { status: 200, resource: await service.read(entry.id) };
      case 'search':
        return { status: 200, resource: await service.search(base, entry.query) };
    }
  }

  private async createIfNoneExist({ type, resource, ifNoneExist }: CreateEntry): Promise<Done> {
    const criterion = ifNoneExist!;
    const found =
      type === 'Patient'
        ? await this.patients.createIfNoneExist(resource, criterion).then(({ patient, created }) => ({
            resource: patient as FhirResource,
            created,
          }))
        : await this.observations.createIfNoneExist(resource, criterion);
    return { status: found.created ? 201 : 200, resource: found.resource };
  }
}

function responseEntry(base: string, { status, resource }: Done): BundleEntry {
  const version = resource?.meta?.versionId;
  const written = resource?.resourceType !== 'Bundle' && resource?.id !== undefined;
  return {
    ...(written ? { fullUrl: `${base}/${resource.resourceType}/${resource.id}` } : {}),
    ...(resource ? { resource } : {}),
    response: {
      status: STATUS_TEXT[status],
      ...(written && status === 201
        ? { location: `${resource.resourceType}/${resource.id}/_history/${version}` }
        : {}),
      ...(version !== undefined ? { etag: `W/"${version}"` } : {}),
      ...(resource?.meta?.lastUpdated ? { lastModified: resource.meta.lastUpdated } : {}),
    },
  };
}
