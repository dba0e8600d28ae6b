import { Param, Query } from '@nestjs/common';
import type { Bundle, DocumentReference } from 'fhir/r4';
import { DocumentsService } from '@hdp/patients';
import { FhirInteraction, FhirResource, SearchParamDeclaration } from '../capabilities';
import { FhirBaseUrl } from '../http/fhir-base-url.decorator';
import { Mutable, parseCount, parseSearchQuery, patientParam, SearchParser } from '../search/search-query';
import { invalidSearch, searchsetBundle } from '../search/searchset';
import { toFhirDocumentReference } from './document-reference.mapper';

const RESOURCE = 'DocumentReference';
const SEARCH_PARAMS: readonly SearchParamDeclaration[] = [
  { name: 'patient', type: 'reference' },
  { name: 'subject', type: 'reference' },
];

interface DocumentReferenceSearch {
  readonly patientId?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

const PARSERS: Record<string, SearchParser<DocumentReferenceSearch>> = {
  patient: (search: Mutable<DocumentReferenceSearch>, value, param) =>
    (search.patientId = patientParam(value, param)),
  subject: (search, value, param) => (search.patientId = patientParam(value, param)),
  _count: (search, value, param) => (search.limit = parseCount(value, param)),
  _cursor: (search, value) => (search.cursor = value),
  _format: () => undefined,
};

/** `/fhir/R4/DocumentReference`: the metadata of the documents uploaded at /api/v1/patients/{id}/documents. */
@FhirResource(RESOURCE)
export class FhirDocumentReferenceController {
  constructor(private readonly documents: DocumentsService) {}

  @FhirInteraction(RESOURCE, 'read')
  async read(@Param('id') id: string): Promise<DocumentReference> {
    return toFhirDocumentReference(await this.documents.readById(id));
  }

  /** By patient (required: documents are listed per patient), newest first. */
  @FhirInteraction(RESOURCE, 'search-type', SEARCH_PARAMS)
  async search(@FhirBaseUrl() base: string, @Query() query: Record<string, unknown>): Promise<Bundle> {
    const { patientId, limit, cursor } = parseSearchQuery(query, PARSERS);
    if (!patientId) throw invalidSearch('patient', 'is required: documents are searched per patient');
    const page = await this.documents.list(patientId, { limit, cursor });
    return searchsetBundle(base, RESOURCE, query, page.items.map(toFhirDocumentReference), page.next);
  }
}
