import { FieldIssue } from '@hdp/platform';
import { TemplateLoadError } from '../errors/template-load.error';

type Json = Record<string, unknown>;

/** Parses template text (a leading UTF-8 byte-order mark is allowed) or passes a parsed document through. */
export function parseTemplateDocument(
  source: string | Buffer | object,
  templateKind: 'device' | 'fhir',
): unknown {
  if (typeof source === 'object' && !Buffer.isBuffer(source)) return source;
  const text = source.toString().replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch {
    throw new TemplateLoadError(templateKind, [{ path: '$', message: 'is not valid JSON' }]);
  }
}

/** The template's typeName as written (any case), to label its issues before it is validated. */
export function typeNameOf(body: unknown): unknown {
  if (body === null || typeof body !== 'object') return undefined;
  return Object.entries(body).find(([key]) => key.toLowerCase() === 'typename')?.[1];
}

/**
 * Reads a template document the way the MedTech loader does: property names case-insensitive, an unknown
 * property an error. Collects every issue with its JSON path instead of stopping at the first.
 */
export class TemplateReader {
  readonly issues: FieldIssue[] = [];

  issue(path: string, message: string): undefined {
    this.issues.push({ path, message });
    return undefined;
  }

  /** The object's properties keyed by their canonical names; undefined (and an issue) if not an object. */
  object(node: unknown, path: string, allowed: readonly string[]): Json | undefined {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      return this.issue(path, 'must be an object');
    }
    const result: Json = {};
    for (const [key, value] of Object.entries(node)) {
      const name = allowed.find((candidate) => candidate.toLowerCase() === key.toLowerCase());
      if (name === undefined) this.issue(`${path}.${key}`, 'is not a known property');
      else result[name] = value;
    }
    return result;
  }

  string(node: Json, name: string, path: string, required: boolean): string | undefined {
    const value = node[name];
    if (value === undefined || value === null)
      return required ? this.issue(`${path}.${name}`, 'is required') : undefined;
    if (typeof value !== 'string' || (required && value.trim() === '')) {
      return this.issue(`${path}.${name}`, 'must be a non-empty string');
    }
    return value;
  }

  /** Booleans may arrive as "true"/"false" strings, which Json.NET converts. */
  boolean(node: Json, name: string, path: string, fallback: boolean): boolean {
    const value = node[name];
    if (value === undefined || value === null) return fallback;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
      return value.trim().toLowerCase() === 'true';
    this.issue(`${path}.${name}`, 'must be true or false');
    return fallback;
  }

  number(node: Json, name: string, path: string): number | undefined {
    const value = node[name];
    if (value === undefined || value === null) return undefined;
    const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof parsed !== 'number' || !Number.isFinite(parsed))
      return this.issue(`${path}.${name}`, 'must be a number');
    return parsed;
  }

  array(node: Json, name: string, path: string, required: boolean): unknown[] {
    const value = node[name];
    if (value === undefined || value === null) {
      if (required) this.issue(`${path}.${name}`, 'is required');
      return [];
    }
    if (!Array.isArray(value)) {
      this.issue(`${path}.${name}`, 'must be an array');
      return [];
    }
    return value;
  }

  /** A `templateType` value, compared case-insensitively and with an optional `Template` suffix. */
  templateType<T extends string>(node: Json, path: string, types: readonly T[]): T | undefined {
    const value = this.string(node, 'templateType', path, true);
    if (value === undefined) return undefined;
    const bare = value
      .trim()
      .replace(/template$/i, '')
      .toLowerCase();
    const type = types.find((candidate) => candidate.toLowerCase() === bare);
    return type ?? this.issue(`${path}.templateType`, `must be one of ${types.join(', ')}`);
  }

  /** Reads one template with `read`, adding its type name to every issue found in it. */
  within<T>(typeName: unknown, read: () => T): T {
    const first = this.issues.length;
    const result = read();
    if (typeof typeName === 'string' && typeName.trim() !== '') {
      for (let i = first; i < this.issues.length; i++) {
        this.issues[i] = { ...this.issues[i], message: `${this.issues[i].message} (template '${typeName}')` };
      }
    }
    return result;
  }

  /** Throws the collected issues, if any. */
  throwIfInvalid(templateKind: 'device' | 'fhir'): void {
    if (this.issues.length > 0) throw new TemplateLoadError(templateKind, this.issues);
  }
}
