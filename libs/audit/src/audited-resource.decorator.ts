import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { isRecordId } from '@hdp/platform';
import { AuditAction } from './audit-event';

export interface AuditedResourceOptions {
  /** The route parameter naming the resource (default `id`). */
  readonly resourceIdParam?: string;
  /** The route parameter naming the patient the resource belongs to (default `id`). */
  readonly patientIdParam?: string;
}

interface AuditedController extends Required<AuditedResourceOptions> {
  readonly resourceType: string;
}

export interface AuditedRoute {
  readonly resourceType: string;
  readonly action: AuditAction;
  readonly resourceId?: string;
  readonly patientId?: string;
}

const controllers = new Map<object, AuditedController>();

/**
 * Marks a controller whose routes touch audited data. Requests to them that end in an error before (or
 * without) the service writing an entry, such as 401, 403 or 429 from the security pipeline or 400 from
 * validation, are entered in the ledger by the AuditTrailMiddleware.
 */
export function AuditedResource(resourceType: string, options: AuditedResourceOptions = {}): ClassDecorator {
  return (target) => {
    controllers.set(target, { resourceType, resourceIdParam: 'id', patientIdParam: 'id', ...options });
  };
}

interface RouteRule {
  readonly method: string;
  readonly pattern: RegExp;
  readonly params: string[];
  readonly controller: AuditedController;
}

let rules: RouteRule[] | undefined;

/** The audited route a request was for, from its method and path; undefined for other routes. */
export function matchAuditedRoute(method: string, path: string): AuditedRoute | undefined {
  rules ??= [...controllers].flatMap(([target, controller]) => routeRules(target, controller));
  for (const rule of rules) {
    const match = rule.method === method ? rule.pattern.exec(path) : null;
    if (!match) continue;
    const params = Object.fromEntries(rule.params.map((name, index) => [name, match[index + 1]]));
    // Only record-id-shaped path segments are ledgered: never an NHS number someone put in a URL.
    const safe = (name: string) => (isRecordId(params[name]) ? params[name] : undefined);
    const resourceId = safe(rule.controller.resourceIdParam);
    return {
      resourceType: rule.controller.resourceType,
      action: actionOf(
        method,
        resourceId !== undefined || params[rule.controller.resourceIdParam] !== undefined,
      ),
      resourceId,
      patientId: safe(rule.controller.patientIdParam),
    };
  }
  return undefined;
}

function routeRules(target: object, controller: AuditedController): RouteRule[] {
  const base = String(Reflect.getMetadata(PATH_METADATA, target) ?? '');
  const prototype = (target as { prototype: Record<string, unknown> }).prototype;
  return Object.getOwnPropertyNames(prototype).flatMap((name) => {
    const handler = prototype[name] as object;
    const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
    const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
    if (path === undefined || method === undefined) return [];
    const full = `/${[base, path]
      .map((part) => part.replace(/^\/+|\/+$/g, ''))
      .filter(Boolean)
      .join('/')}`;
    const params = [...full.matchAll(/:(\w+)/g)].map((found) => found[1]);
    const pattern = new RegExp(`^${full.replace(/:(\w+)/g, '([^/]+)')}/?$`);
    return [{ method: RequestMethod[method], pattern, params, controller }];
  });
}

function actionOf(method: string, onOneResource: boolean): AuditAction {
  if (method === 'POST') return AuditAction.Create;
  if (method === 'PUT' || method === 'PATCH') return AuditAction.Update;
  if (method === 'DELETE') return AuditAction.Delete;
  return onOneResource ? AuditAction.Read : AuditAction.Search;
}
