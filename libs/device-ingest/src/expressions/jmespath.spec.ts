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

  it('fails a single value that a projection selects several times ("Multiple tokens" in MedTech)', () => {
    const data = { readings: [{ hr: 60 }, { hr: 61 }] };
    expect(() => evaluate('readings[*].hr', data)).toThrow(new ExpressionEvaluationError(true));
    expect(evaluate('readings[?hr > `60`].hr', data)).toBe(61);
  });

  it('yields each element of a projection as a match, but a plain array as one match', () => {
    const data = { readings: [{ hr: 60 }, { hr: 61 }], pair: [1, 2] };
    expect(compileJmesPath('readings[*]').selectAll(data)).toEqual([{ hr: 60 }, { hr: 61 }]);
    expect(compileJmesPath('readings').selectAll(data)).toEqual([[{ hr: 60 }, { hr: 61 }]]);
    expect(compileJmesPath('pair').selectOne(data)).toEqual([1, 2]);
    expect(compileJmesPath('readings[] | [0]').selectAll(data)).toEqual([{ hr: 60 }]);
  });

  it.each([
    'add()',
    'add(a)',
    'add(a, b, c)',
    'sort(a, b)',
    'fromUnixTimestamp()',
    'length(a, b)',
    'nosuch(a)',
  ])('refuses %s at compile time, as MedTech refuses the template at load', (expression) => {
    expect(() => compileJmesPath(expression)).toThrow();
  });

  it('accepts the optional and variadic arguments of the built-in functions', () => {
    expect(evaluate("join(', ', names)", { names: ['a', 'b'] })).toBe('a, b');
    expect(evaluate('merge(a, b, c)', { a: { x: 1 }, b: { y: 2 }, c: {} })).toEqual({ x: 1, y: 2 });
  });

  it.each([
    ['add(`0`, `9223372036854775807`)'],
    ['multiply(`9007199254740993`, `2`)'],
    ['pow(`9223372036854775807`, `10`)'],
    ['subtract(`-9007199254740991`, `2`)'],
  ])('reports integer overflow in %s as an evaluation error instead of a rounded float', (expression) => {
    expect(() => evaluate(expression)).toThrow(new ExpressionEvaluationError(false));
  });

  it('keeps float arithmetic as doubles, and integer results that fit', () => {
    expect(evaluate('add(`0.5`, `1e300`)')).toBe(1e300);
    expect(evaluate('add(`9007199254740990`, `1`)')).toBe(9007199254740991);
  });
});
