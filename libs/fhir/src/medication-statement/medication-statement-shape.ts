import type { Dosage, DosageDoseAndRate, MedicationStatement } from 'fhir/r4';
import { CONCEPT, META, QUANTITY, REFERENCE, shapeOf } from '../datatype-shapes';

const DOSE_AND_RATE = shapeOf<DosageDoseAndRate>({ doseQuantity: QUANTITY });
const DOSAGE = shapeOf<Dosage>({ text: true, doseAndRate: [DOSE_AND_RATE] });

/**
 * What a patient's MedicationStatement (a dose taken) may carry on this server. Anything else is refused
 * (422), never dropped; the provenance (`meta.tag`, `informationSource`) is set by the server.
 */
export const MEDICATION_STATEMENT_SHAPE = shapeOf<MedicationStatement>({
  resourceType: true,
  id: true,
  meta: META,
  status: true,
  medicationCodeableConcept: CONCEPT,
  subject: REFERENCE,
  effectiveDateTime: true,
  dateAsserted: true,
  informationSource: REFERENCE,
  dosage: [DOSAGE],
});
