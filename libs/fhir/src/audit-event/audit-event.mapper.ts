import type { AuditEvent as FhirAuditEvent, AuditEventEntity } from 'fhir/r4';
import type { AuditEntry } from '@hdp/audit';

/** The FHIR interaction (http://hl7.org/fhir/restful-interaction) and CRUDE code of each ledger action. */
const ACTIONS: Record<string, { interaction: string; code: FhirAuditEvent['action'] }> = {
  create: { interaction: 'create', code: 'C' },
  read: { interaction: 'read', code: 'R' },
  update: { interaction: 'update', code: 'U' },
  delete: { interaction: 'delete', code: 'D' },
  search: { interaction: 'search-type', code: 'E' },
  verify: { interaction: 'operation', code: 'E' },
  validate: { interaction: 'operation', code: 'E' },
  vread: { interaction: 'vread', code: 'R' },
  'history-instance': { interaction: 'history-instance', code: 'R' },
  'history-type': { interaction: 'history-type', code: 'E' },
};

/** The FHIR resource type a ledger resource type is served as, where there is one. */
const FHIR_TYPES: Record<string, string> = {
  Patient: 'Patient',
  TestResult: 'Observation',
  DocumentReference: 'DocumentReference',
  AuditEvent: 'AuditEvent',
};

/** The ledger actions a FHIR `action` code (C, R, U, D, E) stands for. */
export function ledgerActionsOf(code: string): string[] {
  return Object.entries(ACTIONS)
    .filter(([, action]) => action.code === code)
    .map(([name]) => name);
}

export const CORRELATION_ID_EXTENSION = 'urn:hdp:audit:correlation-id';

/** A ledger entry as a read-only FHIR AuditEvent: who, what, when, where, why and the outcome, no clinical data. */
export function toFhirAuditEvent(entry: AuditEntry): FhirAuditEvent {
  const action = ACTIONS[entry.action];
  return {
    resourceType: 'AuditEvent',
    id: entry.id,
    extension: [{ url: CORRELATION_ID_EXTENSION, valueString: entry.correlationId }],
    type: {
      system: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
      code: 'rest',
      display: 'RESTful Operation',
    },
    subtype: action && [{ system: 'http://hl7.org/fhir/restful-interaction', code: action.interaction }],
    action: action?.code,
    recorded: entry.at.toISOString(),
    outcome: entry.outcome < 400 ? '0' : entry.outcome < 500 ? '4' : '8',
    outcomeDesc: `HTTP ${entry.outcome}${entry.count === undefined ? '' : `; ${entry.count} returned`}`,
    purposeOfEvent: entry.purposeOfUse ? [{ text: entry.purposeOfUse }] : undefined,
    agent: [
      {
        who: { identifier: { system: 'urn:hdp:principal', value: entry.actor.id } },
        altId: entry.actor.clientId,
        requestor: true,
        role: entry.actor.roles.map((role) => ({ text: role })),
        network: { address: entry.clientAddress, type: '2' },
        purposeOfUse: entry.breakGlassReason
          ? [
              {
                coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'BTG' }],
                text: entry.breakGlassReason,
              },
            ]
          : undefined,
      },
    ],
    source: {
      observer: { display: 'health-data-platform' },
      type: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/security-source-type',
          code: '4',
          display: 'Application Server',
        },
      ],
    },
    entity: entitiesOf(entry),
  };
}

function entitiesOf(entry: AuditEntry): AuditEventEntity[] | undefined {
  const entities: AuditEventEntity[] = [];
  const type = FHIR_TYPES[entry.resourceType];
  if (entry.resourceId)
    entities.push({
      what: type ? { reference: `${type}/${entry.resourceId}` } : { display: entry.resourceType },
      type: {
        system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
        code: '2',
        display: 'System Object',
      },
    });
  if (entry.patientId)
    entities.push({
      what: { reference: `Patient/${entry.patientId}` },
      type: {
        system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
        code: '1',
        display: 'Person',
      },
      role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
    });
  return entities.length > 0 ? entities : undefined;
}
