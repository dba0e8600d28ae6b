import type {
  Annotation,
  CodeableConcept,
  Coding,
  ContactPoint,
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
