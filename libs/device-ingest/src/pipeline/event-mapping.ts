import { DomainError } from '@hdp/platform';
import { DeviceMappings } from '../device-mappings';
import { FhirMappingError } from '../errors/fhir-mapping.error';
import { NormalizationError } from '../errors/normalization.error';
import { Measurement } from '../normalization/measurement';

/** Why an event was set aside, in words safe for logs and metric labels (no reading, no message text). */
export interface EventFailure {
  readonly errorType: string;
  readonly reason: string;
  readonly message: string;
  readonly templateName?: string;
}

export type EventMapping =
  | { readonly ok: true; readonly measurements: Measurement[] }
  | { readonly ok: false; readonly failure: EventFailure };

/**
 * An event's body as the device sent it: Event Hubs hands over bytes, text or already-decoded JSON.
 * Returns undefined when it is not JSON.
 */
export function decodeBody(body: unknown): unknown {
  const text = body instanceof Uint8Array ? Buffer.from(body).toString('utf8') : body;
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The raw event kept in a dead letter, as JSON text. */
export function rawText(body: unknown): string {
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return typeof body === 'string' ? body : JSON.stringify(body ?? null);
}

/**
 * Normalises one event and checks every measurement type has a FHIR template, so an event is either wholly
 * mappable or wholly a dead letter. Errors other than mapping failures (bugs) are thrown.
 */
export function mapEvent(mappings: DeviceMappings, body: unknown): EventMapping {
  const message = decodeBody(body);
  if (message === undefined) {
    return fail({ errorType: 'InvalidJson', reason: 'invalid-json', message: 'The event is not JSON.' });
  }
  try {
    const measurements = mappings.normalize(message);
    for (const m of measurements) mappings.periodOf(m.type);
    return { ok: true, measurements };
  } catch (error) {
    if (error instanceof NormalizationError) return fail(failureOf(error, error.reason, error.templateName));
    if (error instanceof FhirMappingError) return fail(failureOf(error, error.reason, error.typeName));
    throw error;
  }
}

function failureOf(error: DomainError, reason: string, templateName: string): EventFailure {
  return { errorType: error.name, reason, message: error.message, templateName };
}

function fail(failure: EventFailure): EventMapping {
  return { ok: false, failure };
}
