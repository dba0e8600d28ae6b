/** Record ids are server-assigned UUIDs: anything else cannot name a record, never reaches a query or a ledger. */
export const RECORD_ID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/;

export function isRecordId(value: string | undefined): value is string {
  return value !== undefined && RECORD_ID.test(value);
}
