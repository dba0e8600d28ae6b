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

function finite(result: number): number {
  if (!Number.isFinite(result)) throw new RangeError('The arithmetic result is not a finite number');
  return result;
}

function fromUnixTimestamp(milliseconds: number): string {
  const date = new Date(milliseconds);
  if (Number.isNaN(date.getTime())) throw new RangeError('The Unix timestamp is out of range');
  return date.toISOString();
}

// The MedTech custom functions, registered once for the process (the library keeps one function table).
const MEDTECH_FUNCTIONS: [string, (args: JSONValue[]) => JSONValue, number[]][] = [
  ['add', (args) => finite((args as Numbers)[0] + (args as Numbers)[1]), [TYPE_NUMBER, TYPE_NUMBER]],
  ['subtract', (args) => finite((args as Numbers)[0] - (args as Numbers)[1]), [TYPE_NUMBER, TYPE_NUMBER]],
  ['multiply', (args) => finite((args as Numbers)[0] * (args as Numbers)[1]), [TYPE_NUMBER, TYPE_NUMBER]],
  ['divide', (args) => finite((args as Numbers)[0] / (args as Numbers)[1]), [TYPE_NUMBER, TYPE_NUMBER]],
  ['pow', (args) => finite((args as Numbers)[0] ** (args as Numbers)[1]), [TYPE_NUMBER, TYPE_NUMBER]],
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
 * `pow`, `insertString`, `fromUnixTimestamp`, `fromUnixTimestampMs`). A JMESPath expression yields one
 * token: a JSON null result counts as no token.
 */
export function compileJmesPath(expression: string): CompiledExpression {
  const ast = compile(expression);
  const selectOne = (data: unknown): unknown => {
    try {
      const result = TreeInterpreter.search(ast, data as JSONValue);
      return result === null ? undefined : result;
    } catch {
      throw new ExpressionEvaluationError(false);
    }
  };
  return {
    selectOne,
    selectAll: (data) => {
      const token = selectOne(data);
      if (token === undefined) return [];
      return Array.isArray(token) ? (token as unknown[]) : [token];
    },
  };
}
