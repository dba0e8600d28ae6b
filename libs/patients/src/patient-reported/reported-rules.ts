import { FieldIssue, InvalidInputError } from '@hdp/platform';
import type { InstantBounds } from '../test-results.repository';
import { MeasurementComponentDto, MeasurementCreateDto } from './dto/measurement.dto';
import { MEASUREMENTS, ReportedMeasurement, ReportedValue } from './measurement-catalogue';

// A device clock a little ahead of the server's is not an error.
const CLOCK_SKEW_MS = 5 * 60_000;
const EARLIEST = Date.UTC(1900, 0, 1);

/** When a patient says something happened: a real instant, not in the future. Throws a 400 naming `path`. */
export function reportedInstant(value: string, path: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime()) || at.getTime() > Date.now() + CLOCK_SKEW_MS || at.getTime() < EARLIEST)
    throw invalid([{ path, message: `${path} must be a date-time, not in the future` }]);
  return at;
}

/** A listing's optional `from` (inclusive) and `to` (exclusive) as bounds on the effective instant. */
export function periodBounds(from?: Date, to?: Date): InstantBounds[] | undefined {
  if (!from && !to) return undefined;
  return [{ ...(from && { $gte: from }), ...(to && { $lt: to }) }];
}

/** The catalogue entry a measurement is for, once its values fit it: known code, its units, real ranges. */
export function checkedMeasurement(dto: MeasurementCreateDto): ReportedMeasurement {
  const measurement = MEASUREMENTS.get(dto.code);
  if (!measurement)
    throw invalid([{ path: 'code', message: `code must be one of ${[...MEASUREMENTS.keys()].join(', ')}` }]);
  const issues = measurement.value
    ? [
        ...(dto.components === undefined
          ? []
          : [{ path: 'components', message: 'only blood pressure has components' }]),
        ...valueIssues(measurement.value, dto, ''),
      ]
    : componentIssues(measurement.components ?? [], dto);
  if (issues.length > 0) throw invalid(issues);
  return measurement;
}

function componentIssues(expected: readonly ReportedValue[], dto: MeasurementCreateDto): FieldIssue[] {
  if (dto.value !== undefined || dto.unit !== undefined)
    return [{ path: 'value', message: 'blood pressure is given as components, not value and unit' }];
  const given = dto.components ?? [];
  const codes = expected.map(({ code }) => code).join(' and ');
  if (given.length !== expected.length || !expected.every(({ code }) => given.some((c) => c.code === code)))
    return [{ path: 'components', message: `components must be ${codes}, once each` }];
  const issues = given.flatMap((component, index) =>
    valueIssues(
      expected.find(({ code }) => code === component.code)!,
      component,
      `components[${index}].`,
    ),
  );
  const [systolic, diastolic] = expected.map(({ code }) => given.find((c) => c.code === code)!.value);
  if (issues.length === 0 && systolic <= diastolic)
    return [{ path: 'components', message: 'systolic pressure must be above diastolic' }];
  return issues;
}

function valueIssues(
  expected: ReportedValue,
  given: Partial<Pick<MeasurementComponentDto, 'value' | 'unit'>>,
  prefix: string,
): FieldIssue[] {
  if (given.unit !== expected.unit)
    return [{ path: `${prefix}unit`, message: `unit must be the UCUM unit ${expected.unit}` }];
  const { value } = given;
  if (value === undefined) return [{ path: `${prefix}value`, message: 'value is required' }];
  if (expected.integer && !Number.isInteger(value))
    return [{ path: `${prefix}value`, message: 'value must be a whole number' }];
  if (value < expected.min || value > expected.max)
    return [
      {
        path: `${prefix}value`,
        message: `value must be between ${expected.min} and ${expected.max} ${expected.unit}`,
      },
    ];
  return [];
}

function invalid(issues: FieldIssue[]): InvalidInputError {
  return new InvalidInputError('The request is invalid.', issues);
}
