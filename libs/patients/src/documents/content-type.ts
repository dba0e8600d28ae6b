/** The content types a document may have, recognised by their leading bytes. */
export const ALLOWED_CONTENT_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'application/dicom',
  'text/plain',
] as const;

export type DocumentContentType = (typeof ALLOWED_CONTENT_TYPES)[number];

/** Enough leading bytes to recognise every allowed type (DICOM's marker sits after a 128-byte preamble). */
export const SNIFF_BYTES = 132;

const SIGNATURES: readonly { type: DocumentContentType; offset: number; bytes: Buffer }[] = [
  { type: 'application/pdf', offset: 0, bytes: Buffer.from('%PDF-') },
  { type: 'image/jpeg', offset: 0, bytes: Buffer.from([0xff, 0xd8, 0xff]) },
  { type: 'image/png', offset: 0, bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: 'application/dicom', offset: 128, bytes: Buffer.from('DICM') },
];

/**
 * The type the content's leading bytes show, or undefined when they match no allowed type. Plain text has no
 * signature: it is UTF-8 without NUL bytes (the head may end inside a character, hence `stream`).
 */
export function sniffContentType(head: Buffer): DocumentContentType | undefined {
  const match = SIGNATURES.find(({ offset, bytes }) =>
    head.subarray(offset, offset + bytes.length).equals(bytes),
  );
  if (match) return match.type;
  if (head.length === 0 || head.includes(0)) return undefined;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'text/plain';
  } catch {
    return undefined;
  }
}
