import {
  compile,
  JSONValue,
  registerFunction,
  TreeInterpreter,
  TYPE_NUMBER,
  TYPE_STRING,
} from '@jmespath-community/jmespath';
import { CompiledExpression, ExpressionEvaluationError } from './expression';

type Numbers = [number, number];
type ExpressionNode = ReturnType<typeof compile>;

// The largest magnitude of a .NET long: MedTech computes integer operands as longs, others as doubles.
const LONG_LIMIT = 2 ** 63;

/**
 * The result of an arithmetic function, as MedTech would give it or fail: non-finite is an error, and so is an
 * integer result beyond what a number holds exactly (MedTech's long arithmetic would overflow there; a
 * rounded value would be a silently wrong reading).
 */
function arithmetic(operation: (a: number, b: number) => number) {
  return ([a, b]: Numbers): number => {
    const result = operation(a, b);
    if (!Number.isFinite(result)) throw new RangeError('The arithmetic result is not a finite number');
    if (isLong(a) && isLong(b) && Number.isInteger(result) && !Number.isSafeInteger(result)) {
      throw new RangeError('The integer arithmetic overflowed');
    }
    return result;
  };
}

function isLong(value: number): boolean {
  return Number.isInteger(value) && Math.abs(value) <= LONG_LIMIT;
}

function fromUnixTimestamp(milliseconds: number): string {
  const date = new Date(milliseconds);
  if (Number.isNaN(date.getTime())) throw new RangeError('The Unix timestamp is out of range');
  return date.toISOString();
}

// The MedTech custom functions, registered once for the process (the library keeps one function table).
const MEDTECH_FUNCTIONS: [string, (args: JSONValue[]) => JSONValue, number[]][] = [
  ['add', (args) => arithmetic((a, b) => a + b)(args as Numbers), [TYPE_NUMBER, TYPE_NUMBER]],
  ['subtract', (args) => arithmetic((a, b) => a - b)(args as Numbers), [TYPE_NUMBER, TYPE_NUMBER]],
  ['multiply', (args) => arithmetic((a, b) => a * b)(args as Numbers), [TYPE_NUMBER, TYPE_NUMBER]],
  ['divide', (args) => arithmetic((a, b) => a / b)(args as Numbers), [TYPE_NUMBER, TYPE_NUMBER]],
  ['pow', (args) => arithmetic((a, b) => a ** b)(args as Numbers), [TYPE_NUMBER, TYPE_NUMBER]],
  [
    'insertString',
    ([original, insert, position]) => insertString(original as string, insert as string, position as number),
    [TYPE_STRING, TYPE_STRING, TYPE_NUMBER],
  ],
  ['fromUnixTimestamp', ([seconds]) => fromUnixTimestamp((seconds as number) * 1000), [TYPE_NUMBER]],
  ['fromUnixTimestampMs', ([milliseconds]) => fromUnixTimestamp(milliseconds as number), [TYPE_NUMBER]],
];

function insertString(original: string, insert: string, position: number): string {
  if (!Number.isInteger(position) || position < 0 || position > original.length) {
    throw new RangeError('insertString position is outside the string');
  }
  return original.slice(0, position) + insert + original.slice(position);
}

for (const [name, fn, types] of MEDTECH_FUNCTIONS) {
  registerFunction(
    name,
    (args) => fn(args as JSONValue[]),
    types.map((type) => ({ types: [type] })),
  );
}

/**
 * Compiles a JMESPath expression once (with the MedTech functions `add`, `subtract`, `multiply`, `divide`,
 * `pow`, `insertString`, `fromUnixTimestamp`, `fromUnixTimestampMs`); a call of an unknown function or with
 * the wrong number of arguments fails here, at load, as in MedTech. As in JmesPath.Net, a projection
 * (`[*]`, `*`, `[]`, `[?...]`, slices) yields each of its elements as a token, where any other result is one
 * token (an array too); a JSON null result counts as no token.
 */
export function compileJmesPath(expression: string): CompiledExpression {
  const ast = compile(expression);
  checkFunctionCalls(ast);
  const projects = isProjection(ast);
  const evaluate = (data: unknown): JSONValue => {
    try {
      return TreeInterpreter.search(ast, data as JSONValue);
    } catch {
      throw new ExpressionEvaluationError(false);
    }
  };
  const selectAll = (data: unknown): unknown[] => {
    const result = evaluate(data);
    if (projects && Array.isArray(result)) return result;
    return result === null ? [] : [result];
  };
  return {
    selectAll,
    selectOne: (data) => {
      if (!projects) return evaluate(data) ?? undefined;
      const tokens = selectAll(data);
      if (tokens.length > 1) throw new ExpressionEvaluationError(true);
      return tokens[0];
    },
  };
}

function isProjection(node: ExpressionNode): boolean {
  if (node.type === 'Subexpression') return isProjection(node.right);
  return ['Projection', 'ValueProjection', 'FilterProjection'].includes(node.type);
}

function checkFunctionCalls(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (record.type === 'Literal') return;
  if (record.type === 'Function') checkArity(record.name as string, (record.children as unknown[]).length);
  Object.values(record).forEach((child) =>
    Array.isArray(child) ? child.forEach(checkFunctionCalls) : checkFunctionCalls(child),
  );
}

function checkArity(name: string, count: number): void {
  const signature = TreeInterpreter.runtime._functionTable[name]?._signature;
  if (signature === undefined) throw new Error(`Unknown function: ${name}()`);
  const required = signature.filter((argument) => !argument.optional).length;
  const variadic = signature.at(-1)?.variadic ?? false;
  if (count < required || (!variadic && count > signature.length)) {
    throw new Error(`${name}() takes ${required} argument(s), not ${count}`);
  }
}
