import type { AuditAction } from '@hdp/audit';
import { isRecordId } from '@hdp/platform';

/** The audit event of an interaction with a record; ids that are not record ids (caller input) are left out. */
export function recordEvent(action: AuditAction, resourceType: string, patientId?: string, id?: string) {
  const safe = (value?: string) => (isRecordId(value) ? value : undefined);
  return { action, resourceType, resourceId: safe(id), patientId: safe(patientId) };
}
