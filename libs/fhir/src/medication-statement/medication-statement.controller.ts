import { Body, Param, Query } from '@nestjs/common';
import type { Bundle, MedicationStatement } from 'fhir/r4';
import { MedicationDosesService, ReportedSearch } from '@hdp/patients';
import { FhirInteraction, FhirResource, SearchParamDeclaration } from '../capabilities';
import { FhirBaseUrl } from '../http/fhir-base-url.decorator';
import { Mutable, parseCount, parseSearchQuery, patientParam, SearchParser } from '../search/search-query';
import { searchsetBundle } from '../search/searchset';
import { fromFhirMedicationStatement, toFhirMedicationStatement } from './medication-statement.mapper';

const RESOURCE = 'MedicationStatement';
const SEARCH_PARAMS: readonly SearchParamDeclaration[] = [
  { name: 'patient', type: 'reference' },
  { name: 'subject', type: 'reference' },
];

const PARSERS: Record<string, SearchParser<ReportedSearch>> = {
  patient: (search: Mutable<ReportedSearch>, value, param) => (search.patientId = patientParam(value, param)),
  subject: (search, value, param) => (search.patientId = patientParam(value, param)),
  _count: (search, value, param) => (search.limit = parseCount(value, param)),
  _cursor: (search, value) => (search.cursor = value),
  _format: () => undefined,
};

/**
 * `/fhir/R4/MedicationStatement`: the doses patients report at /api/v1/patients/{id}/patient-reported/
 * medication-doses. Created only by the patient themselves; read and searched by whoever may see them.
 */
@FhirResource(RESOURCE)
export class FhirMedicationStatementController {
  constructor(private readonly doses: MedicationDosesService) {}

  @FhirInteraction(RESOURCE, 'read')
  async read(@Param('id') id: string): Promise<MedicationStatement> {
    return toFhirMedicationStatement(await this.doses.readStatement(id));
  }

  /** Newest first; only the caller's own when confined to a patient's compartment. */
  @FhirInteraction(RESOURCE, 'search-type', SEARCH_PARAMS)
  async search(@FhirBaseUrl() base: string, @Query() query: Record<string, unknown>): Promise<Bundle> {
    const page = await this.doses.searchStatements(parseSearchQuery(query, PARSERS));
    return searchsetBundle(base, RESOURCE, query, page.items.map(toFhirMedicationStatement), page.next);
  }

  @FhirInteraction(RESOURCE, 'create')
  async create(@Body() resource: unknown): Promise<MedicationStatement> {
    const { patientId, dose } = await fromFhirMedicationStatement(resource);
    return toFhirMedicationStatement(await this.doses.createStatement(patientId, dose));
  }
}
