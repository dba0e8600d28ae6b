import type { Observation } from 'fhir/r4';
import {
  EffectiveCondition,
  InstantBounds,
  LOINC,
  OBSERVATION_CATEGORY,
  ObservationSearch,
  ReportedResource,
  ReportedSearch,
  tokenOf,
} from '@hdp/patients';
import { invalidSearch } from '../search/searchset';
import { toFhirObservation } from './observation.mapper';
import type { ObservationQuery } from './observation-search';

const SURVEY_TOKENS = [tokenOf(undefined, 'survey'), tokenOf(OBSERVATION_CATEGORY, 'survey')];

/** Patient-reported Observations are in a search only when it asks for the survey category. */
export function asksForSurvey(search: ObservationSearch): boolean {
  return (search.categoryTokens ?? []).some((token) => SURVEY_TOKENS.includes(token));
}

/**
 * Refuses (400) what a search with category survey cannot apply to the patient-reported Observations it
 * merges in, rather than answer wider than asked: another sort than newest first, a count, conditions on
 * the last update or the value, alternative dates and repeated tokens.
 */
export function requireReportedSupport(search: ObservationQuery): void {
  const refused = [
    ...(search.sort && !(search.sort.key === 'effectiveStart' && search.sort.descending) ? ['_sort'] : []),
    ...(search.total === 'accurate' ? ['_total'] : []),
    ...(search.countOnly ? ['_summary'] : []),
    ...(search.lastUpdated ? ['_lastUpdated'] : []),
    ...(search.valueQuantity || search.missing?.valueQuantity !== undefined ? ['value-quantity'] : []),
    ...(search.effective?.some((condition) => condition.anyOf) ? ['date'] : []),
    ...(search.alsoTokens ? [search.alsoTokens[0].field === 'codeTokens' ? 'code' : 'category'] : []),
  ];
  if (refused.length > 0) throw invalidSearch(refused[0], 'is not supported in a search of category survey');
}

/**
 * An Observation search as a search of patient-reported Observations (all `final`, category survey, no
 * device); undefined when none of them can match. Codes are LOINC; a reported effective time is an instant
 * to the millisecond, so its range ends 1 ms after it starts.
 */
export function toReportedSearch(search: ObservationSearch): ReportedSearch | undefined {
  if (search.device !== undefined || (search.statuses && !search.statuses.includes('final')))
    return undefined;
  const codes = search.codeTokens?.flatMap((token) => loincCodeOf(token) ?? []);
  if (codes?.length === 0) return undefined;
  return {
    patientId: search.patientId,
    codes,
    effectiveAt: search.effective?.flatMap(instantBounds),
    limit: search.limit,
    cursor: search.cursor,
  };
}

export function toFhirReportedObservation(record: ReportedResource<'Observation'>): Observation {
  return toFhirObservation({ ...record, observation: record.resource });
}

function loincCodeOf(token: string): string | undefined {
  if (token.startsWith('c:')) return token.slice(2);
  const prefix = `s:${LOINC}|`;
  return token.startsWith(prefix) ? token.slice(prefix.length) : undefined;
}

function instantBounds({ start, end }: EffectiveCondition): InstantBounds[] {
  const shifted =
    end && Object.fromEntries(Object.entries(end).map(([op, at]) => [op, new Date(at.getTime() - 1)]));
  return [...(start ? [start] : []), ...(shifted ? [shifted as InstantBounds] : [])];
}
