import type {
  Address,
  Annotation,
  Attachment,
  CodeableConcept,
  Coding,
  ContactPoint,
  HumanName,
  Identifier,
  Meta,
  Narrative,
  Period,
  Quantity,
  Reference,
} from 'fhir/r4';
import { ElementShape } from './fhir-validation';

/** An element shape whose names the compiler checks against the FHIR type (from @types/fhir). */
export const shapeOf = <T>(shape: { readonly [K in keyof T]?: ElementShape[string] }): ElementShape =>
  shape as ElementShape;

/** The R4 data types the resources of this server share, as element shapes. */
export const CODING = shapeOf<Coding>({
  system: true,
  version: true,
  code: true,
  display: true,
  userSelected: true,
});
export const CONCEPT = shapeOf<CodeableConcept>({ coding: [CODING], text: true });
export const QUANTITY = shapeOf<Quantity>({
  value: true,
  comparator: true,
  unit: true,
  system: true,
  code: true,
});
export const PERIOD = shapeOf<Period>({ start: true, end: true });
const PLAIN_IDENTIFIER = shapeOf<Identifier>({
  use: true,
  type: CONCEPT,
  system: true,
  value: true,
  period: PERIOD,
});
export const REFERENCE = shapeOf<Reference>({
  reference: true,
  type: true,
  identifier: PLAIN_IDENTIFIER,
  display: true,
});
export const IDENTIFIER = { ...PLAIN_IDENTIFIER, ...shapeOf<Identifier>({ assigner: REFERENCE }) };
export const ANNOTATION = shapeOf<Annotation>({
  authorString: true,
  authorReference: REFERENCE,
  time: true,
  text: true,
});
export const CONTACT_POINT = shapeOf<ContactPoint>({
  system: true,
  value: true,
  use: true,
  rank: true,
  period: PERIOD,
});
export const NARRATIVE = shapeOf<Narrative>({ status: true, div: true });
export const META = shapeOf<Meta>({
  versionId: true,
  lastUpdated: true,
  profile: true,
  tag: [CODING],
  security: [CODING],
});
export const HUMAN_NAME_PARTS = shapeOf<HumanName>({
  use: true,
  text: true,
  family: true,
  given: true,
  prefix: true,
  suffix: true,
  period: PERIOD,
});
export const ADDRESS = shapeOf<Address>({
  use: true,
  type: true,
  text: true,
  line: true,
  city: true,
  district: true,
  state: true,
  postalCode: true,
  country: true,
  period: PERIOD,
});
export const ATTACHMENT = shapeOf<Attachment>({
  contentType: true,
  language: true,
  data: true,
  url: true,
  size: true,
  hash: true,
  title: true,
  creation: true,
});

const PRIMITIVE_VALUES = [
  'Base64Binary',
  'Boolean',
  'Canonical',
  'Code',
  'Date',
  'DateTime',
  'Decimal',
  'Id',
  'Instant',
  'Integer',
  'Markdown',
  'Oid',
  'PositiveInt',
  'String',
  'Time',
  'UnsignedInt',
  'Uri',
  'Url',
  'Uuid',
] as const;
const COMPLEX_VALUES: Record<string, ElementShape> = {
  Address: ADDRESS,
  Attachment: ATTACHMENT,
  CodeableConcept: CONCEPT,
  Coding: CODING,
  ContactPoint: CONTACT_POINT,
  HumanName: HUMAN_NAME_PARTS,
  Identifier: IDENTIFIER,
  Period: PERIOD,
  Quantity: QUANTITY,
  Reference: REFERENCE,
};

/**
 * An Extension: `url`, a `value[x]` of a primitive or common complex type, or nested extensions (complex
 * extensions such as US Core race). Values of other types are refused.
 */
export const EXTENSION: ElementShape = (() => {
  const shape: Record<string, ElementShape[string]> = { id: true, url: true };
  for (const type of PRIMITIVE_VALUES) shape[`value${type}`] = true;
  for (const [type, value] of Object.entries(COMPLEX_VALUES)) shape[`value${type}`] = value;
  shape.extension = [shape];
  return shape;
})();

/** The `_element` of a primitive: its id and extensions (`_birthDate` carrying a birth time). */
export const PRIMITIVE_ELEMENT: ElementShape = { id: true, extension: [EXTENSION] };

/** A HumanName as FHIR allows it, extensions on the element and on `family` included. */
export const HUMAN_NAME: ElementShape = {
  ...HUMAN_NAME_PARTS,
  extension: [EXTENSION],
  _family: PRIMITIVE_ELEMENT,
};
