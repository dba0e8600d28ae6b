import type {
  EncounterClassHistory,
  EncounterDiagnosis,
  EncounterHospitalization,
  EncounterLocation,
  EncounterParticipant,
  EncounterStatusHistory,
} from 'fhir/r4';
import type { Encounter } from 'fhir/r4';
import {
  CODING,
  CONCEPT,
  IDENTIFIER,
  META,
  NARRATIVE,
  PERIOD,
  QUANTITY,
  REFERENCE,
  shapeOf,
} from '../datatype-shapes';

const STATUS_HISTORY = shapeOf<EncounterStatusHistory>({ status: true, period: PERIOD });
const CLASS_HISTORY = shapeOf<EncounterClassHistory>({ class: CODING, period: PERIOD });
const PARTICIPANT = shapeOf<EncounterParticipant>({ type: [CONCEPT], period: PERIOD, individual: REFERENCE });
const DIAGNOSIS = shapeOf<EncounterDiagnosis>({ condition: REFERENCE, use: CONCEPT, rank: true });
const HOSPITALIZATION = shapeOf<EncounterHospitalization>({
  preAdmissionIdentifier: IDENTIFIER,
  origin: REFERENCE,
  admitSource: CONCEPT,
  reAdmission: CONCEPT,
  dietPreference: [CONCEPT],
  specialCourtesy: [CONCEPT],
  specialArrangement: [CONCEPT],
  destination: REFERENCE,
  dischargeDisposition: CONCEPT,
});
const LOCATION = shapeOf<EncounterLocation>({
  location: REFERENCE,
  status: true,
  physicalType: CONCEPT,
  period: PERIOD,
});

/**
 * What an Encounter may carry on this server: every R4 Encounter element, but no extensions, contained
 * resources or primitive `_element`s. Anything else is refused (422), never dropped.
 */
export const ENCOUNTER_SHAPE = shapeOf<Encounter>({
  resourceType: true,
  id: true,
  meta: META,
  text: NARRATIVE,
  identifier: [IDENTIFIER],
  status: true,
  statusHistory: [STATUS_HISTORY],
  class: CODING,
  classHistory: [CLASS_HISTORY],
  type: [CONCEPT],
  serviceType: CONCEPT,
  priority: CONCEPT,
  subject: REFERENCE,
  episodeOfCare: [REFERENCE],
  basedOn: [REFERENCE],
  participant: [PARTICIPANT],
  appointment: [REFERENCE],
  period: PERIOD,
  length: QUANTITY,
  reasonCode: [CONCEPT],
  reasonReference: [REFERENCE],
  diagnosis: [DIAGNOSIS],
  account: [REFERENCE],
  hospitalization: HOSPITALIZATION,
  location: [LOCATION],
  serviceProvider: REFERENCE,
  partOf: REFERENCE,
});
