/** Why an expression could not give a single answer. */
export class ExpressionEvaluationError extends Error {
  constructor(readonly ambiguous: boolean) {
    super(ambiguous ? 'The expression selected several tokens' : 'The expression failed to evaluate');
    this.name = ExpressionEvaluationError.name;
  }
}

/** A template expression compiled once at load time and evaluated per message. */
export interface CompiledExpression {
  /** Every token the expression selects, in document order. */
  selectAll(data: unknown): unknown[];
  /**
   * The one token the expression selects, or undefined when it selects none.
   * Throws ExpressionEvaluationError(ambiguous) when it selects several, as Newtonsoft's SelectToken does.
   */
  selectOne(data: unknown): unknown;
}

/** Expression languages of the MedTech template format. */
export enum ExpressionLanguage {
  JsonPath = 'JsonPath',
  JmesPath = 'JmesPath',
}
