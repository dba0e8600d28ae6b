import type { Bundle, BundleEntry, FhirResource } from 'fhir/r4';
import type { HistoryPage, HistoryPageQuery, RecordVersion } from '@hdp/patients';
import { pageLinks } from '../search/searchset';
import { toHistoryPage } from './history-query';

/** Where a resource type's versions come from: the patients lib's history service of its records. */
export interface VersionSource<T> {
  version(id: string, version: number): Promise<RecordVersion<T>>;
  ofRecord(id: string, page: HistoryPageQuery): Promise<HistoryPage<T>>;
  ofType(page: HistoryPageQuery): Promise<HistoryPage<T>>;
}

/** A FHIR version id: a positive whole number. Anything else names no version (404). */
const VERSION_ID = /^[1-9]\d{0,8}$/;

/** FHIR vread and history (instance and type) of one resource type, as `history` Bundles. */
export class ResourceHistory<T> {
  constructor(
    private readonly type: string,
    private readonly source: VersionSource<T>,
    private readonly toResource: (record: T) => FhirResource,
  ) {}

  async vread(id: string, versionId: string): Promise<FhirResource> {
    const version = VERSION_ID.test(versionId) ? Number(versionId) : 0;
    return this.toResource((await this.source.version(id, version)).record);
  }

  async ofRecord(base: string, id: string, query: Record<string, unknown>): Promise<Bundle> {
    const page = await this.source.ofRecord(id, toHistoryPage(query));
    return this.bundle(`${base}/${this.type}/${id}/_history`, base, query, page);
  }

  async ofType(base: string, query: Record<string, unknown>): Promise<Bundle> {
    const page = await this.source.ofType(toHistoryPage(query));
    return this.bundle(`${base}/${this.type}/_history`, base, query, page);
  }

  private bundle(url: string, base: string, query: Record<string, unknown>, page: HistoryPage<T>): Bundle {
    return {
      resourceType: 'Bundle',
      type: 'history',
      link: pageLinks(url, query, page.next),
      entry: page.items.map((version) => this.entry(base, version)),
    };
  }

  /** A version as a history entry: its resource (none for a deletion) and the interaction that made it. */
  private entry(base: string, version: RecordVersion<T>): BundleEntry {
    const created = version.version === 1;
    const [method, status] = version.deleted ? ['DELETE', '204'] : created ? ['POST', '201'] : ['PUT', '200'];
    return {
      fullUrl: `${base}/${this.type}/${version.id}`,
      ...(version.deleted ? {} : { resource: this.toResource(version.record) }),
      request: {
        method: method as 'POST' | 'PUT' | 'DELETE',
        url: created ? this.type : `${this.type}/${version.id}`,
      },
      response: { status, etag: `W/"${version.version}"`, lastModified: version.updatedAt },
    };
  }
}
