import { JSONPath } from 'jsonpath-plus';
import { CompiledExpression, ExpressionEvaluationError } from './expression';

const QUOTED = String.raw`'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"`;
// Newtonsoft reads `@name` as `@.name`; jsonpath-plus would read `@parent`, `@root`... as its own variables.
const SHORTHAND_MEMBER = new RegExp(`(${QUOTED})|@(?=[A-Za-z_$])`, 'g');
// A bare `@.a.b` operand (not compared with anything) is Newtonsoft's existence test, not JavaScript truthiness.
const EXISTENCE_OPERAND = new RegExp(
  `(${QUOTED})|(?<!(?:[=!]=|[<>]=?)\\s*)(@(?:\\.[A-Za-z_$][\\w$]*|\\[[^\\]]*\\])+)(?!\\s*(?:[=!<>]|=~)|[\\w$.\\[])`,
  'g',
);
// Newtonsoft reads `.['name']` as the member `name`; jsonpath-plus would read `.[` as a descendant search.
const DOT_BEFORE_BRACKET = new RegExp(`(${QUOTED})|(?<!\\.)\\.(?=\\[)`, 'g');
const BARE_CURRENT = /@(?![.[])/;
const REQUIRING_TERM = new RegExp(
  `^@((?:\\.[A-Za-z_$][\\w$]*)+)(?:\\s*={2,3}\\s*(?:${QUOTED}|-?\\d[\\d.]*))?$`,
);
const SPECIAL_SEGMENT = /^(?:\*|\.\.|\^|~|[?(@]|.*[,:])/;

/** Rewrites a Newtonsoft JSONPath expression into the jsonpath-plus dialect with the same meaning. */
export function toJsonPathPlusDialect(expression: string): string {
  return withExplicitMembers(expression).replace(
    EXISTENCE_OPERAND,
    (_, quoted?: string, operand?: string) => quoted ?? `(${operand} !== undefined)`,
  );
}

function withExplicitMembers(expression: string): string {
  return expression
    .replace(DOT_BEFORE_BRACKET, (_, quoted?: string) => quoted ?? '')
    .replace(SHORTHAND_MEMBER, (_, quoted?: string) => quoted ?? '@.');
}

/**
 * Compiles a JSONPath expression once, with Newtonsoft (Json.NET) semantics: plain member chains become
 * direct property reads; `$..[?(filter)]` tests the root and every descendant in document order; anything
 * else runs on jsonpath-plus.
 */
export function compileJsonPath(expression: string): CompiledExpression {
  const members = withExplicitMembers(expression.trim());
  const dialect = toJsonPathPlusDialect(expression.trim());
  const segments = JSONPath.toPathArray(dialect);
  if (segments[0] === '$' && segments.slice(1).every((s) => s === '*' || !SPECIAL_SEGMENT.test(s))) {
    return segments.includes('*')
      ? new WildcardChainExpression(segments.slice(1))
      : new MemberChainExpression(segments.slice(1));
  }
  const filter = segments.length === 3 && segments[1] === '..' ? /^\?\((.*)\)$/s.exec(segments[2]) : null;
  const compiled =
    filter && !filter[1].includes('$')
      ? new ScanFilterExpression(filter[1], BARE_CURRENT.test(filter[1]), filterTerms(members))
      : new JsonPathPlusExpression(dialect);
  compiled.selectAll([{}]); // a filter is parsed on first use: fail at load, not on the first message
  return compiled;
}

/** What a `$..[?(...)]` filter asks of a token, as far as the scan can tell without running it. */
interface FilterTerms {
  /** Member paths a token must have to pass (from `&&`-joined `@.a` or `@.b.c == 'x'` terms). */
  readonly required: readonly (readonly string[])[];
  /** True when having them is all the filter asks (only existence tests): then it need not run at all. */
  readonly decisive: boolean;
}

function filterTerms(expression: string): FilterTerms {
  const filter = /^\$\.\.\[\?\((.*)\)\]$/s.exec(expression)?.[1];
  if (filter === undefined || /\|\||!(?!=)|[()]/.test(filter)) return { required: [], decisive: false };
  const terms = filter.split('&&').map((term) => REQUIRING_TERM.exec(term.trim()));
  return {
    required: terms.filter((term) => term !== null).map((term) => term[1].slice(1).split('.')),
    decisive: terms.every((term) => term !== null && term[0] === `@${term[1]}`),
  };
}

abstract class ManyTokenExpression implements CompiledExpression {
  abstract selectAll(data: unknown): unknown[];

  selectOne(data: unknown): unknown {
    const tokens = this.selectAll(data);
    if (tokens.length > 1) throw new ExpressionEvaluationError(true);
    return tokens[0];
  }
}

class MemberChainExpression implements CompiledExpression {
  constructor(private readonly members: readonly string[]) {}

  selectAll(data: unknown): unknown[] {
    const token = this.selectOne(data);
    return token === undefined ? [] : [token];
  }

  selectOne(data: unknown): unknown {
    let token = data;
    for (const member of this.members) {
      if (token === null || typeof token !== 'object') return undefined;
      token = (token as Record<string, unknown>)[member];
    }
    return token;
  }
}

class WildcardChainExpression extends ManyTokenExpression {
  constructor(private readonly segments: readonly string[]) {
    super();
  }

  selectAll(data: unknown): unknown[] {
    let tokens = [data];
    for (const segment of this.segments) {
      const next: unknown[] = [];
      for (const token of tokens) {
        if (token === null || typeof token !== 'object') continue;
        const members = token as Record<string, unknown>;
        if (segment !== '*') {
          if (members[segment] !== undefined) next.push(members[segment]);
        } else {
          const children: unknown[] = Array.isArray(token) ? token : Object.values(members);
          next.push(...children);
        }
      }
      tokens = next;
    }
    return tokens;
  }
}

class JsonPathPlusExpression extends ManyTokenExpression {
  constructor(private readonly path: string) {
    super();
  }

  selectAll(data: unknown): unknown[] {
    return runJsonPath(this.path, data);
  }
}

class ScanFilterExpression extends ManyTokenExpression {
  private readonly path: string;

  constructor(
    filter: string,
    private readonly testsPrimitives: boolean,
    private readonly terms: FilterTerms,
  ) {
    super();
    this.path = `$[?(${filter})]`;
  }

  selectAll(data: unknown): unknown[] {
    const candidates: unknown[] = [];
    collectDescendantsAndSelf(data, candidates, this.testsPrimitives, this.terms.required);
    if (candidates.length === 0 || this.terms.decisive) return candidates;
    return runJsonPath(this.path, candidates);
  }
}

function runJsonPath(path: string, json: unknown): unknown[] {
  try {
    // A filter that reads through a missing member is false for that token, as in Newtonsoft.
    return JSONPath({
      path,
      json: json as object,
      wrap: true,
      eval: 'safe',
      ignoreEvalErrors: true,
    }) as unknown[];
  } catch {
    throw new ExpressionEvaluationError(false);
  }
}

/**
 * Newtonsoft's DescendantsAndSelf order (each token before its children, children in document order),
 * keeping only tokens that have every `required` member.
 */
function collectDescendantsAndSelf(
  token: unknown,
  into: unknown[],
  withPrimitives: boolean,
  required: readonly (readonly string[])[],
): void {
  if (token === null || typeof token !== 'object') {
    if (withPrimitives && required.length === 0) into.push(token);
    return;
  }
  const members = token as Record<string, unknown>;
  if (required.every((path) => hasPath(members, path))) into.push(token);
  if (Array.isArray(token)) {
    for (const child of token) collectDescendantsAndSelf(child, into, withPrimitives, required);
  } else {
    // for-in rather than Object.values: no array per token on the hot path.
    for (const key in members) collectDescendantsAndSelf(members[key], into, withPrimitives, required);
  }
}

function hasPath(token: Record<string, unknown>, path: readonly string[]): boolean {
  let current: unknown = token;
  for (const member of path) {
    if (current === null || typeof current !== 'object') return false;
    current = (current as Record<string, unknown>)[member];
  }
  return current !== undefined;
}
