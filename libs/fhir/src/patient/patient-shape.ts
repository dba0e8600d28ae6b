import type { Patient, PatientCommunication, PatientContact, PatientLink } from 'fhir/r4';
import {
  ADDRESS,
  ATTACHMENT,
  CONCEPT,
  CONTACT_POINT,
  EXTENSION,
  HUMAN_NAME,
  IDENTIFIER,
  META,
  NARRATIVE,
  PERIOD,
  PRIMITIVE_ELEMENT,
  REFERENCE,
  shapeOf,
} from '../datatype-shapes';

const CONTACT = shapeOf<PatientContact>({
  relationship: [CONCEPT],
  name: HUMAN_NAME,
  telecom: [CONTACT_POINT],
  address: ADDRESS,
  gender: true,
  organization: REFERENCE,
  period: PERIOD,
});
const COMMUNICATION = shapeOf<PatientCommunication>({ language: CONCEPT, preferred: true });
const LINK = shapeOf<PatientLink>({ other: REFERENCE, type: true });

/**
 * What a Patient may carry on this server: every R4 Patient element, extensions and the `_element`s of its
 * single primitives included. Refused (422), never dropped: `contained` resources, `modifierExtension`s (they
 * change the meaning of what they sit on, and nothing here understands one), `_element`s of lists of
 * primitives (`_given`), and the record's name, identifiers, telecom and addresses carrying extensions
 * (the REST record holds those elements field by field; other names keep theirs).
 */
export const PATIENT_SHAPE = shapeOf<Patient>({
  resourceType: true,
  id: true,
  meta: META,
  implicitRules: true,
  language: true,
  text: NARRATIVE,
  extension: [EXTENSION],
  identifier: [IDENTIFIER],
  active: true,
  _active: PRIMITIVE_ELEMENT,
  name: [HUMAN_NAME],
  telecom: [CONTACT_POINT],
  gender: true,
  _gender: PRIMITIVE_ELEMENT,
  birthDate: true,
  _birthDate: PRIMITIVE_ELEMENT,
  deceasedBoolean: true,
  deceasedDateTime: true,
  _deceasedDateTime: PRIMITIVE_ELEMENT,
  address: [ADDRESS],
  maritalStatus: CONCEPT,
  multipleBirthBoolean: true,
  multipleBirthInteger: true,
  photo: [ATTACHMENT],
  contact: [CONTACT],
  communication: [COMMUNICATION],
  generalPractitioner: [REFERENCE],
  managingOrganization: REFERENCE,
  link: [LINK],
});
