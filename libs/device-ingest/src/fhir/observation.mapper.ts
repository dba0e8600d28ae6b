import type { Observation, Reference } from 'fhir/r4';
import { UtcInstant } from '../common/utc-instant';
import { MeasurementGroup } from '../grouping/measurement-group';
import {
  observationIdentifier,
  observationResourceId,
  ObservationReferences,
} from '../identity/observation-identity';
import { CodeValueFhirTemplate } from '../templates/fhir/fhir-template.types';
import { buildValue, readingsOf, resolveCode, Span, toCoding, ValueHolder } from './observation-value';

/** What one Observation is made of: its template, its measurements and the resolved resource ids. */
export interface ObservationInput {
  readonly template: CodeValueFhirTemplate;
  readonly group: MeasurementGroup;
  readonly references: ObservationReferences;
}

/**
 * Maps a group of measurements to a new, final Observation with MedTech's deterministic identifier and id,
 * `issued` at `issued` (MedTech sets it when it creates an Observation; a merge keeps it).
 * Pure: the same input and time always give the same Observation.
 */
export function createObservation(
  { template, group, references }: ObservationInput,
  issued: Date,
): Observation {
  const identifier = observationIdentifier(group, references);
  const span = { start: group.start, end: group.end };
  const components = template.components.flatMap((component) => {
    const readings = readingsOf(group, component.value.valueName);
    if (readings.length === 0) return [];
    const code = resolveCode(component.value.valueName, component.codes);
    return [{ code, ...buildValue(template.typeName, component.value, readings, span) }];
  });
  return {
    resourceType: 'Observation',
    id: observationResourceId(identifier),
    identifier: [identifier],
    status: 'final',
    ...categoryOf(template),
    code: resolveCode(group.type, template.codes),
    subject: reference('Patient', references.patientId),
    ...(references.encounterId === undefined
      ? {}
      : { encounter: reference('Encounter', references.encounterId) }),
    effectivePeriod: toPeriod(span),
    issued: issued.toISOString(),
    device: reference('Device', references.deviceId),
    ...mainValue(template, group, span),
    ...(components.length > 0 ? { component: components } : {}),
  };
}

/** The Observation's own value[x], when the template has one and the group has readings for it. */
export function mainValue(
  template: CodeValueFhirTemplate,
  group: MeasurementGroup,
  span: Span,
  existing?: { holder: ValueHolder; start: UtcInstant },
) {
  const readings = template.value ? readingsOf(group, template.value.valueName) : [];
  if (!template.value || readings.length === 0) return {};
  return buildValue(template.typeName, template.value, readings, span, existing);
}

/** The template's categories as CodeableConcepts, or nothing when it has none. */
export function categoryOf(template: CodeValueFhirTemplate): Pick<Observation, 'category'> {
  if (template.category.length === 0) return {};
  return {
    category: template.category.map((c) => ({
      coding: c.codes.map(toCoding),
      ...(c.text === undefined ? {} : { text: c.text }),
    })),
  };
}

/** A span as a FHIR Period, each instant with seven fraction digits as MedTech writes it. */
export function toPeriod(span: Span): { start: string; end: string } {
  return { start: span.start.toISOString(), end: span.end.toISOString() };
}

function reference(type: string, id: string): Reference {
  return { reference: `${type}/${id}` };
}
