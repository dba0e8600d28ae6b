import { DomainError, ErrorKind } from '@hdp/platform';

/** Why a device message could not be normalised; usable as a dead-letter reason. */
export enum NormalizationFailure {
  MissingRequiredValue = 'missing-required-value',
  InvalidTimestamp = 'invalid-timestamp',
  AmbiguousExpression = 'ambiguous-expression',
  ExpressionError = 'expression-error',
  MissingCorrelationId = 'missing-correlation-id',
}

/**
 * A device message that matched a template but cannot become measurements. The message names the
 * template and the field, never the message's content (readings are PHI).
 */
export class NormalizationError extends DomainError {
  readonly kind = ErrorKind.Unprocessable;

  constructor(
    readonly reason: NormalizationFailure,
    readonly templateName: string,
    readonly field: string,
  ) {
    super(`Template '${templateName}': ${field}: ${reason}`, [{ path: field, message: reason }]);
  }
}
