/** Deepest nesting of objects and arrays a JSON body may have: far beyond any FHIR resource, far below a stack overflow. */
export const MAX_JSON_DEPTH = 100;

const OPEN = new Set([0x7b, 0x5b]); // { [
const CLOSE = new Set([0x7d, 0x5d]); // } ]
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** A body nested deeper than MAX_JSON_DEPTH; the body parser reports it under this type. */
export class JsonTooDeepError extends Error {
  readonly type = 'entity.too.deep';
  readonly status = 400;

  constructor() {
    super(`The request body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
  }
}

/**
 * The body parser's `verify` hook: refuses a body nested deeper than MAX_JSON_DEPTH before it is parsed, so
 * no recursive step after it (validation, merge patch, JSON Patch) can overflow the stack. One pass over the
 * bytes, skipping strings.
 */
export function refuseDeepJson(_req: unknown, _res: unknown, body: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (OPEN.has(byte) && ++depth > MAX_JSON_DEPTH) throw new JsonTooDeepError();
    else if (CLOSE.has(byte)) depth--;
  }
}
