import { isDeepStrictEqual } from 'node:util';
import type { Observation, ObservationComponent } from 'fhir/r4';
import { UtcInstant } from '../common/utc-instant';
import { FhirMappingError, FhirMappingFailure } from '../errors/fhir-mapping.error';
import { MEDTECH_IDENTIFIER_SYSTEM } from '../identity/observation-identity';
import { parseTimestamp } from '../normalization/timestamp';
import { FhirComponentTemplate } from '../templates/fhir/fhir-template.types';
import { categoryOf, mainValue, ObservationInput, toPeriod } from './observation.mapper';
import { buildValue, readingsOf, resolveCode, Span } from './observation-value';

/** The result of merging readings into a stored Observation. */
export interface ObservationMerge {
  readonly observation: Observation;
  /** False when the readings were already there: nothing needs writing. */
  readonly changed: boolean;
}

/**
 * Merges new measurements into an existing Observation of the same identity (a late, repeated or
 * out-of-order delivery): the period widens to cover them, SampledData keeps every reading in time order
 * with the newer reading winning its slot, a Quantity or String may only be written again with the same
 * value (a different one is a FhirMappingError: MedTech would replace it and lose the stored reading), the
 * categories become the template's, and a changed final Observation becomes `amended`. Pure: the existing
 * Observation is not modified (unchanged parts are shared, never written).
 */
export function mergeObservation(
  existing: Observation,
  { template, group }: ObservationInput,
): ObservationMerge {
  const current = existingSpan(existing, template.typeName);
  const span = {
    start: group.start.compare(current.start) < 0 ? group.start : current.start,
    end: group.end.compare(current.end) > 0 ? group.end : current.end,
  };
  const merged: Observation = {
    ...existing,
    ...categoryOf(template),
    effectivePeriod: toPeriod(span),
    ...mainValue(template, group, span, { holder: existing, start: current.start }),
  };
  const components = template.components.reduce(
    (list, component) => mergeComponent(list, component, { template, group }, span, current.start),
    existing.component ?? [],
  );
  if (components.length > 0) merged.component = components;
  if (template.category.length === 0) delete merged.category; // the template's categories replace the stored ones
  delete merged.effectiveDateTime; // effective[x] is one choice: the merge writes a period
  if (isDeepStrictEqual(merged, existing)) return { observation: existing, changed: false };
  if (merged.status === 'final') merged.status = 'amended';
  return { observation: merged, changed: true };
}

function mergeComponent(
  components: ObservationComponent[],
  component: FhirComponentTemplate,
  { template, group }: Pick<ObservationInput, 'template' | 'group'>,
  span: Span,
  existingStart: UtcInstant,
): ObservationComponent[] {
  const readings = readingsOf(group, component.value.valueName);
  if (readings.length === 0) return components;
  const index = components.findIndex((c) =>
    c.code.coding?.some(
      (coding) => coding.system === MEDTECH_IDENTIFIER_SYSTEM && coding.code === component.value.valueName,
    ),
  );
  const found = index < 0 ? undefined : components[index];
  const value = buildValue(
    template.typeName,
    component.value,
    readings,
    span,
    found && { holder: found, start: existingStart },
  );
  const code = found?.code ?? resolveCode(component.value.valueName, component.codes);
  const updated: ObservationComponent = { ...found, code, ...value };
  return index < 0 ? [...components, updated] : components.map((c, i) => (i === index ? updated : c));
}

function existingSpan(existing: Observation, typeName: string): Span {
  const start = parseTimestamp(existing.effectivePeriod?.start ?? existing.effectiveDateTime);
  const end = parseTimestamp(existing.effectivePeriod?.end ?? existing.effectiveDateTime);
  if (start === undefined || end === undefined) {
    throw new FhirMappingError(FhirMappingFailure.IncompatibleExistingValue, typeName);
  }
  return { start, end };
}
