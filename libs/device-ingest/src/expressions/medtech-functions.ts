import { JSONValue, registerFunction, TYPE_NUMBER, TYPE_STRING } from '@jmespath-community/jmespath';

type Numbers = [number, number];

// The largest magnitude of a .NET long: MedTech computes integer operands as longs, others as doubles.
const LONG_LIMIT = 2 ** 63;

/**
 * The result of an arithmetic function, as MedTech would give it or fail: non-finite is an error, and so is an
 * integer result beyond what a number holds exactly (MedTech's long arithmetic would overflow there; a
 * rounded value would be a silently wrong reading).
 */
function arithmetic(operation: (a: number, b: number) => number) {
  return (args: JSONValue[]): number => {
    const [a, b] = args as Numbers;
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

/**
 * MedTech's JMESPath functions, registered in the library's one function table (once for the process) when
 * this module is first imported.
 */
const MEDTECH_FUNCTIONS: [string, (args: JSONValue[]) => JSONValue, number[]][] = [
  ['add', arithmetic((a, b) => a + b), [TYPE_NUMBER, TYPE_NUMBER]],
  ['subtract', arithmetic((a, b) => a - b), [TYPE_NUMBER, TYPE_NUMBER]],
  ['multiply', arithmetic((a, b) => a * b), [TYPE_NUMBER, TYPE_NUMBER]],
  ['divide', arithmetic((a, b) => a / b), [TYPE_NUMBER, TYPE_NUMBER]],
  ['pow', arithmetic((a, b) => a ** b), [TYPE_NUMBER, TYPE_NUMBER]],
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
