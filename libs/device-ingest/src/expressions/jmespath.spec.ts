import { ExpressionEvaluationError } from './expression';
import { compileJmesPath } from './jmespath';

const evaluate = (expression: string, data: unknown = {}) => compileJmesPath(expression).selectOne(data);

describe(compileJmesPath.name, () => {
  it.each([
    ['add(`2`, `3`)', 5],
    ['subtract(`2`, `3`)', -1],
    ['multiply(`2`, `3`)', 6],
    ['divide(`3`, `2`)', 1.5],
    ['pow(`2`, `10`)', 1024],
    ["insertString('0800', ':', `2`)", '08:00'],
    ['fromUnixTimestamp(`1709287200`)', '2024-03-01T10:00:00.000Z'],
    ['fromUnixTimestampMs(`1709287200123`)', '2024-03-01T10:00:00.123Z'],
  ])('provides the MedTech function %s', (expression, expected) => {
    expect(evaluate(expression)).toBe(expected);
  });

  it('treats a null result as no token', () => {
    expect(evaluate('missing.value', { other: 1 })).toBeUndefined();
  });

  it.each(['divide(`1`, `0`)', "insertString('ab', 'x', `5`)", "multiply('a', `2`)"])(
    'reports %s as an evaluation error',
    (expression) => {
      expect(() => evaluate(expression)).toThrow(new ExpressionEvaluationError(false));
    },
  );

  it('rejects a malformed expression at compile time', () => {
    expect(() => compileJmesPath('multiply(')).toThrow();
  });
});
