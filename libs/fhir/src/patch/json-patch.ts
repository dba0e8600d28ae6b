import { applyPatch, JsonPatchError, Operation, validate } from 'fast-json-patch';
import { DomainError, ErrorKind, InvalidInputError } from '@hdp/platform';

export const JSON_PATCH = 'application/json-patch+json';

/** A well-formed JSON Patch that cannot be applied to the resource: a failed `test`, a path that is not there. */
export class PatchNotApplicableError extends DomainError {
  readonly kind = ErrorKind.Unprocessable;
  constructor(index: number | undefined) {
    super('The patch cannot be applied to the current version of the resource.', [
      { path: `patch[${index ?? 0}]`, message: 'does not apply (a test failed or its path does not exist)' },
    ]);
  }
}

/**
 * Applies a JSON Patch (RFC 6902) to a copy of `resource`. A body that is not a patch is a 400; a patch
 * that does not apply, a 422. Issues name the operation by index, never a value from the resource.
 */
export function applyJsonPatch<T extends object>(resource: T, patch: unknown): unknown {
  const malformed = Array.isArray(patch)
    ? validate(patch as Operation[])
    : new JsonPatchError('not an array', 'SEQUENCE_NOT_AN_ARRAY');
  if (malformed) {
    throw new InvalidInputError('The body is not a JSON Patch.', [
      { path: `patch[${malformed.index ?? 0}]`, message: 'must be a JSON Patch operation (RFC 6902)' },
    ]);
  }
  try {
    return applyPatch(structuredClone(resource), patch as Operation[], true, true).newDocument;
  } catch (error) {
    // The library refuses paths through `__proto__` or `constructor` with a TypeError: it does not apply either.
    throw new PatchNotApplicableError(error instanceof JsonPatchError ? error.index : undefined);
  }
}
