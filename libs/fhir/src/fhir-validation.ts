import type { Identifier } from 'fhir/r4';
import { DomainError, ErrorKind, FieldIssue } from '@hdp/platform';

/** A resource that parsed but that this server cannot hold or accept; issue paths are FHIRPath expressions. */
export class FhirValidationError extends DomainError {
  readonly kind = ErrorKind.Unprocessable;
  constructor(issues: readonly FieldIssue[]) {
    super('The resource is not acceptable to this server.', issues);
  }
}

/**
 * The elements a resource may carry on this server: `true` for a primitive (or array of primitives),
 * a nested shape for a complex element, `[shape]` for a repeating complex element.
 */
export type ElementShape = { readonly [element: string]: true | ElementShape | readonly [ElementShape] };

/** FHIR JSON element names, including `_name` (a primitive's id and extensions). */
const ELEMENT_NAME = /^_?[A-Za-z][A-Za-z0-9]{0,63}$/;

/**
 * Every element of `value` that `shape` does not allow, every empty array and every null, by expression.
 * Anything the records cannot hold is refused here rather than silently dropped.
 */
export function unsupportedElements(value: unknown, shape: ElementShape, path: string): FieldIssue[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ path, message: 'must be a JSON object' }];
  }
  return Object.entries(value).flatMap(([name, child]): FieldIssue[] => {
    if (!ELEMENT_NAME.test(name)) return [{ path, message: 'contains an element name that is not FHIR' }];
    const allowed = Object.hasOwn(shape, name) ? shape[name] : undefined;
    const childPath = `${path}.${name}`;
    if (allowed === undefined) return [{ path: childPath, message: 'is not supported by this server' }];
    if (child === null) return [{ path: childPath, message: 'must not be null' }];
    if (Array.isArray(child) && child.length === 0)
      return [{ path: childPath, message: 'must not be empty' }];
    if (allowed === true)
      return isPrimitive(child) ? [] : [{ path: childPath, message: 'must be a primitive value' }];
    if (isRepeating(allowed)) {
      if (!Array.isArray(child)) return [{ path: childPath, message: 'must be an array' }];
      const [itemShape] = allowed;
      return child.flatMap((item, index) => unsupportedElements(item, itemShape, `${childPath}[${index}]`));
    }
    return unsupportedElements(child, allowed, childPath);
  });
}

/** A FHIR primitive (string, number, boolean) or a list of them: never an object that could carry operators. */
function isPrimitive(value: unknown): boolean {
  const primitive = (item: unknown) => ['string', 'number', 'boolean'].includes(typeof item);
  return Array.isArray(value) ? value.every(primitive) : primitive(value);
}

function isRepeating(shape: ElementShape | readonly [ElementShape]): shape is readonly [ElementShape] {
  return Array.isArray(shape);
}

/** `identifier.0.value` (a DTO path) as a FHIRPath expression on `resourceType`: `Patient.identifier[0].value`. */
export function toExpression(resourceType: string, dtoPath: string): string {
  const path = dtoPath.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
  return path ? `${resourceType}.${path}` : resourceType;
}

/** An issue on `{resourceType}.{element}` unless `valid`: for a mapper's business-rule checks. */
export function checkOn(resourceType: string) {
  return (valid: boolean, element: string, message: string): FieldIssue[] =>
    valid ? [] : [{ path: `${resourceType}.${element}`, message }];
}

/** Every identifier must have a system and a value: identifiers are how records are found again. */
export function identifierIssues(
  resourceType: string,
  identifiers: readonly Identifier[] = [],
): FieldIssue[] {
  return identifiers.flatMap((identifier, index) =>
    checkOn(resourceType)(
      typeof identifier.system === 'string' && typeof identifier.value === 'string',
      `identifier[${index}]`,
      'must have a system and a value',
    ),
  );
}
