import type {
  Observation,
  ObservationComponent,
  ObservationReferenceRange,
  Range,
  Ratio,
  SampledData,
} from 'fhir/r4';
import {
  ANNOTATION,
  CONCEPT,
  IDENTIFIER,
  META,
  NARRATIVE,
  PERIOD,
  QUANTITY,
  REFERENCE,
  shapeOf,
} from '../datatype-shapes';

const RANGE = shapeOf<Range>({ low: QUANTITY, high: QUANTITY });
const RATIO = shapeOf<Ratio>({ numerator: QUANTITY, denominator: QUANTITY });
const SAMPLED_DATA = shapeOf<SampledData>({
  origin: QUANTITY,
  period: true,
  factor: true,
  lowerLimit: true,
  upperLimit: true,
  dimensions: true,
  data: true,
});
const REFERENCE_RANGE = shapeOf<ObservationReferenceRange>({
  low: QUANTITY,
  high: QUANTITY,
  type: CONCEPT,
  appliesTo: [CONCEPT],
  age: RANGE,
  text: true,
});

/** value[x] as an Observation and its components may carry it (Timing-free, as this server holds it). */
const VALUE = shapeOf<Observation>({
  valueQuantity: QUANTITY,
  valueCodeableConcept: CONCEPT,
  valueString: true,
  valueBoolean: true,
  valueInteger: true,
  valueRange: RANGE,
  valueRatio: RATIO,
  valueSampledData: SAMPLED_DATA,
  valueTime: true,
  valueDateTime: true,
  valuePeriod: PERIOD,
});

export const VALUE_ELEMENTS = Object.keys(VALUE);

const COMPONENT = shapeOf<ObservationComponent>({
  code: CONCEPT,
  ...VALUE,
  dataAbsentReason: CONCEPT,
  interpretation: [CONCEPT],
  referenceRange: [REFERENCE_RANGE],
});

/**
 * What an Observation may carry on this server: every R4 Observation element but `effectiveTiming`, and no
 * extensions, contained resources or primitive `_element`s. Anything else is refused (422), never dropped.
 */
export const OBSERVATION_SHAPE = shapeOf<Observation>({
  resourceType: true,
  id: true,
  meta: META,
  text: NARRATIVE,
  identifier: [IDENTIFIER],
  basedOn: [REFERENCE],
  partOf: [REFERENCE],
  status: true,
  category: [CONCEPT],
  code: CONCEPT,
  subject: REFERENCE,
  focus: [REFERENCE],
  encounter: REFERENCE,
  effectiveDateTime: true,
  effectivePeriod: PERIOD,
  effectiveInstant: true,
  issued: true,
  performer: [REFERENCE],
  ...VALUE,
  dataAbsentReason: CONCEPT,
  interpretation: [CONCEPT],
  note: [ANNOTATION],
  bodySite: CONCEPT,
  method: CONCEPT,
  specimen: REFERENCE,
  device: REFERENCE,
  referenceRange: [REFERENCE_RANGE],
  hasMember: [REFERENCE],
  derivedFrom: [REFERENCE],
  component: [COMPONENT],
});
