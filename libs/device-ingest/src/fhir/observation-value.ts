import type { CodeableConcept, Coding, Observation, ObservationComponent } from 'fhir/r4';
import { definedFields } from '../common/defined-fields';
import { UtcInstant } from '../common/utc-instant';
import { FhirMappingError, FhirMappingFailure } from '../errors/fhir-mapping.error';
import { MeasurementGroup } from '../grouping/measurement-group';
import { MEDTECH_IDENTIFIER_SYSTEM } from '../identity/observation-identity';
import { FhirCode, FhirValueTemplate, FhirValueType } from '../templates/fhir/fhir-template.types';
import { decodeSampledData, encodeSampledData, TimedValue } from './sampled-data';

/** The value[x] elements an Observation and an Observation component share. */
export type ValueHolder = Pick<
  Observation & ObservationComponent,
  'valueSampledData' | 'valueQuantity' | 'valueString' | 'valueCodeableConcept'
>;

/** The period a value covers. */
export interface Span {
  readonly start: UtcInstant;
  readonly end: UtcInstant;
}

/** The group's readings of one value name, oldest first (arrival order among equal times). */
export function readingsOf(group: MeasurementGroup, valueName: string): TimedValue[] {
  const readings: TimedValue[] = [];
  for (const measurement of group.measurements) {
    for (const property of measurement.properties) {
      if (property.name === valueName)
        readings.push({ time: measurement.occurrenceTimeUtc, value: property.value });
    }
  }
  return readings.sort((a, b) => a.time.compare(b.time));
}

/** MedTech's code: the template's codings plus one naming the type in the connector's system. */
export function resolveCode(type: string, codes: readonly FhirCode[]): CodeableConcept {
  return {
    coding: [...codes.map(toCoding), { system: MEDTECH_IDENTIFIER_SYSTEM, code: type, display: type }],
    text: type,
  };
}

/** A template code as a FHIR Coding, leaving out what the template leaves out. */
export function toCoding({ system, code, display }: FhirCode): Coding {
  return definedFields({ system, code, display });
}

/**
 * The value[x] for new readings over `span`. With `existing`, SampledData keeps the existing readings
 * (decoded from `existingStart`) and the new ones win their slots. Quantity and String hold one reading: a
 * second, different one (in the group, or against the stored value) is a FhirMappingError, never dropped.
 */
export function buildValue(
  typeName: string,
  template: FhirValueTemplate,
  readings: readonly TimedValue[],
  span: Span,
  existing?: { holder: ValueHolder; start: UtcInstant },
): ValueHolder {
  switch (template.valueType) {
    case FhirValueType.SampledData: {
      const previous = existing ? decodeExisting(typeName, template.valueName, existing) : [];
      const data = encodeSampledData(
        [...previous, ...readings],
        span.start,
        span.end,
        template.defaultPeriod,
      );
      return {
        valueSampledData: {
          origin: { value: 0, ...(template.unit === undefined ? {} : { unit: template.unit }) },
          period: template.defaultPeriod,
          dimensions: 1,
          data,
        },
      };
    }
    case FhirValueType.Quantity: {
      const text = onlyReading(typeName, template.valueName, readings);
      const value = Number(text);
      if (text.trim() === '' || !Number.isFinite(value)) {
        throw new FhirMappingError(FhirMappingFailure.InvalidQuantity, typeName, template.valueName);
      }
      sameAsStored(typeName, template.valueName, existing?.holder.valueQuantity?.value, value);
      const { unit, system, code } = template;
      return { valueQuantity: { value, ...definedFields({ unit, system, code }) } };
    }
    case FhirValueType.String: {
      const value = onlyReading(typeName, template.valueName, readings);
      sameAsStored(typeName, template.valueName, existing?.holder.valueString, value);
      return { valueString: value };
    }
    case FhirValueType.CodeableConcept:
      return {
        valueCodeableConcept: {
          coding: template.codes.map(toCoding),
          ...definedFields({ text: template.text }),
        },
      };
  }
}

/** The value of a single-value element's readings; a redelivered copy (same time and value) is one reading. */
function onlyReading(typeName: string, valueName: string, readings: readonly TimedValue[]): string {
  const distinct = new Set(readings.map(({ time, value }) => `${time.toISOString()}\u0000${value}`)).size;
  if (distinct > 1) throw multipleValues(typeName, valueName, distinct);
  return readings[0].value;
}

/** A stored single value may be written again, not replaced: the stored reading would be lost. */
function sameAsStored<T>(typeName: string, valueName: string, stored: T | undefined, value: T): void {
  if (stored !== undefined && stored !== value) throw multipleValues(typeName, valueName, 2);
}

function multipleValues(typeName: string, valueName: string, received: number): FhirMappingError {
  const detail = `expected 1 value, received ${received}`;
  return new FhirMappingError(FhirMappingFailure.MultipleValues, typeName, valueName, detail);
}

function decodeExisting(
  typeName: string,
  valueName: string,
  existing: { holder: ValueHolder; start: UtcInstant },
) {
  const sampled = existing.holder.valueSampledData;
  if (sampled === undefined || (sampled.dimensions ?? 1) !== 1 || !(sampled.period > 0)) {
    throw new FhirMappingError(FhirMappingFailure.IncompatibleExistingValue, typeName, valueName);
  }
  return decodeSampledData(sampled.data ?? '', existing.start, sampled.period);
}
