import type { DocumentReference } from 'fhir/r4';
import type { DocumentResponseDto } from '@hdp/patients';

const LOINC = 'http://loinc.org';
export const SHA256_EXTENSION = 'urn:hdp:attachment:sha256';

/**
 * A stored document as a FHIR DocumentReference whose attachment points at its Binary (the content). FHIR's
 * `attachment.hash` is SHA-1; the SHA-256 the store keeps rides in an extension instead.
 */
export function toFhirDocumentReference(document: DocumentResponseDto): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    id: document.id,
    meta: { versionId: String(document.version), lastUpdated: document.createdAt },
    status: 'current',
    type: document.typeCode ? { coding: [{ system: LOINC, code: document.typeCode }] } : undefined,
    subject: { reference: `Patient/${document.patientId}` },
    date: document.createdAt,
    author: document.author ? [{ display: document.author }] : undefined,
    description: document.title,
    content: [
      {
        attachment: {
          contentType: document.contentType,
          url: `Binary/${document.id}`,
          size: document.size,
          title: document.title,
          creation: document.date,
          extension: [{ url: SHA256_EXTENSION, valueString: document.sha256 }],
        },
      },
    ],
  };
}
