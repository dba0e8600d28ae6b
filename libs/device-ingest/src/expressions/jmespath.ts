import { compile, JSONValue, TreeInterpreter } from '@jmespath-community/jmespath';
import { CompiledExpression, ExpressionEvaluationError } from './expression';
import './medtech-functions';

type ExpressionNode = ReturnType<typeof compile>;

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
