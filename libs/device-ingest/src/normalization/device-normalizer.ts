import { UtcInstant } from '../common/utc-instant';
import { ExpressionEvaluationError } from '../expressions/expression';
import { NormalizationError, NormalizationFailure } from '../errors/normalization.error';
import { CompiledDeviceTemplate, LocatedExpression } from '../templates/device/device-template.types';
import { Measurement, MeasurementProperty } from './measurement';
import { parseTimestamp } from './timestamp';

/**
 * Turns device messages into measurements with a loaded set of device templates, as the MedTech
 * normaliser does: every template is tried, each match of a template's type expression is one measurement,
 * and a message no template matches yields none.
 */
export class DeviceNormalizer {
  constructor(private readonly templates: readonly CompiledDeviceTemplate[]) {}

  /** Throws NormalizationError when a matched message cannot become measurements; then none of it is kept. */
  normalize(message: unknown): Measurement[] {
    const measurements: Measurement[] = [];
    for (const template of this.templates) {
      const matches = select(template, template.typeMatch, message, 'all') as unknown[];
      if (matches.length === 0) continue;
      // One scope per message, its matchedToken moved along: nothing keeps a scope past its measurement.
      const scope = template.scopesToMessage ? messageScope(message) : undefined;
      for (const match of matches) {
        if (scope) scope.matchedToken = match;
        measurements.push(toMeasurement(template, scope ?? match));
      }
    }
    return measurements;
  }
}

function toMeasurement(template: CompiledDeviceTemplate, scope: unknown): Measurement {
  const deviceId = firstText(template, template.deviceId, scope);
  if (deviceId === undefined)
    throw failure(template, template.deviceId[0], NormalizationFailure.MissingRequiredValue);
  const occurrenceTimeUtc = readTimestamp(template, scope);
  // Sized up front: an empty array's first push would reserve room for many more than a template's values.
  const properties = new Array<MeasurementProperty>(template.values.length);
  let count = 0;
  for (const value of template.values) {
    const text = optionalText(template, value, scope);
    if (text !== undefined) properties[count++] = { name: value.valueName, value: text };
    else if (value.required) throw failure(template, value, NormalizationFailure.MissingRequiredValue);
  }
  properties.length = count;
  const correlationId = optionalText(template, template.correlationId, scope);
  // MedTech: a declared correlation id is required (its groups are keyed by it).
  if (template.correlationId && correlationId === undefined)
    throw failure(template, template.correlationId, NormalizationFailure.MissingRequiredValue);
  return new NormalizedMeasurement(
    template.typeName,
    occurrenceTimeUtc,
    deviceId,
    properties,
    optionalText(template, template.patientId, scope),
    optionalText(template, template.encounterId, scope),
    correlationId,
  );
}

/** A class rather than a literal grown key by key: one allocation of one shape per reading. */
class NormalizedMeasurement implements Measurement {
  declare readonly patientId?: string;
  declare readonly encounterId?: string;
  declare readonly correlationId?: string;

  constructor(
    readonly type: string,
    readonly occurrenceTimeUtc: UtcInstant,
    readonly deviceId: string,
    readonly properties: readonly MeasurementProperty[],
    patientId?: string,
    encounterId?: string,
    correlationId?: string,
  ) {
    // An absent id is left out rather than set to undefined.
    if (patientId !== undefined) this.patientId = patientId;
    if (encounterId !== undefined) this.encounterId = encounterId;
    if (correlationId !== undefined) this.correlationId = correlationId;
  }
}

function readTimestamp(template: CompiledDeviceTemplate, scope: unknown): UtcInstant {
  for (const located of template.timestamp) {
    const token = select(template, located, scope, 'one');
    if (isBlank(token)) continue;
    const time = parseTimestamp(token);
    if (time === undefined) throw failure(template, located, NormalizationFailure.InvalidTimestamp);
    return time;
  }
  throw failure(template, template.timestamp[0], NormalizationFailure.MissingRequiredValue);
}

function firstText(
  template: CompiledDeviceTemplate,
  candidates: readonly LocatedExpression[],
  scope: unknown,
) {
  for (const located of candidates) {
    const text = optionalText(template, located, scope);
    if (text !== undefined) return text;
  }
  return undefined;
}

function optionalText(
  template: CompiledDeviceTemplate,
  located: LocatedExpression | undefined,
  scope: unknown,
) {
  if (located === undefined) return undefined;
  const token = select(template, located, scope, 'one');
  return isBlank(token) ? undefined : toText(token);
}

function select(
  template: CompiledDeviceTemplate,
  located: LocatedExpression,
  data: unknown,
  mode: 'one' | 'all',
) {
  try {
    return mode === 'one' ? located.expression.selectOne(data) : located.expression.selectAll(data);
  } catch (error) {
    const ambiguous = error instanceof ExpressionEvaluationError && error.ambiguous;
    const reason = ambiguous
      ? NormalizationFailure.AmbiguousExpression
      : NormalizationFailure.ExpressionError;
    throw failure(template, located, reason);
  }
}

function failure(template: CompiledDeviceTemplate, located: LocatedExpression, reason: NormalizationFailure) {
  return new NormalizationError(reason, template.typeName, located.field);
}

// MedTech copies the message and adds the match as `matchedToken`; a shallow copy suffices as nothing writes.
function messageScope(message: unknown): { matchedToken?: unknown } {
  const isObject = message !== null && typeof message === 'object' && !Array.isArray(message);
  return isObject ? { ...message } : {};
}

function isBlank(token: unknown): boolean {
  return token === undefined || token === null || (typeof token === 'string' && token.trim() === '');
}

function toText(token: unknown): string {
  if (typeof token === 'string') return token;
  if (typeof token === 'number' || typeof token === 'boolean') return String(token);
  if (token instanceof Date) return token.toISOString();
  return JSON.stringify(token);
}
