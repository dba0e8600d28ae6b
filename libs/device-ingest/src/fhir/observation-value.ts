import type { CodeableConcept, Coding, Observation, ObservationComponent } from 'fhir/r4';
import { definedFields } from '../common/defined-fields';
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

/** The period a value covers, in epoch milliseconds. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** The group's readings of one value name, oldest first (arrival order among equal times). */
export function readingsOf(group: MeasurementGroup, valueName: string): TimedValue[] {
  const readings: TimedValue[] = [];
  for (const measurement of group.measurements) {
    for (const property of measurement.properties) {
      if (property.name === valueName)
        readings.push({ time: measurement.occurrenceTimeUtc.getTime(), value: property.value });
    }
  }
  return readings.sort((a, b) => a.time - b.time);
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
 * (decoded from `existingStart`) and the new ones win their slots; other types take the newest reading.
 */
export function buildValue(
  typeName: string,
  template: FhirValueTemplate,
  readings: readonly TimedValue[],
  span: Span,
  existing?: { holder: ValueHolder; start: number },
): ValueHolder {
  const newest = readings[readings.length - 1].value;
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
      const value = Number(newest);
      if (newest.trim() === '' || !Number.isFinite(value)) {
        throw new FhirMappingError(FhirMappingFailure.InvalidQuantity, typeName, template.valueName);
      }
      const { unit, system, code } = template;
      return { valueQuantity: { value, ...definedFields({ unit, system, code }) } };
    }
    case FhirValueType.String:
      return { valueString: newest };
    case FhirValueType.CodeableConcept:
      return {
        valueCodeableConcept: {
          coding: template.codes.map(toCoding),
          ...definedFields({ text: template.text }),
        },
      };
  }
}

function decodeExisting(
  typeName: string,
  valueName: string,
  existing: { holder: ValueHolder; start: number },
) {
  const sampled = existing.holder.valueSampledData;
  if (sampled === undefined || (sampled.dimensions ?? 1) !== 1 || !(sampled.period > 0)) {
    throw new FhirMappingError(FhirMappingFailure.IncompatibleExistingValue, typeName, valueName);
  }
  return decodeSampledData(sampled.data ?? '', existing.start, sampled.period);
}
