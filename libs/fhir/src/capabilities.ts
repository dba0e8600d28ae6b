import {
  applyDecorators,
  Controller,
  Delete,
  Get,
  HttpCode,
  Patch,
  Post,
  Put,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { CapabilityStatement, CapabilityStatementRestResource } from 'fhir/r4';
import { AuditedResource } from '@hdp/audit';
import { Interaction, RequireScope } from '@hdp/platform';
import { FhirExceptionFilter } from './http/fhir-exception.filter';
import { FhirHttpInterceptor } from './http/fhir-http.interceptor';
import { FHIR_JSON } from './http/operation-outcome';

export const FHIR_BASE = 'fhir/R4';

/** The FHIR RESTful interactions this server can declare, with the route and SMART interaction of each. */
const INTERACTIONS = {
  read: { route: Get, method: 'GET', path: ':id', scope: 'read', status: 200 },
  vread: { route: Get, method: 'GET', path: ':id/_history/:vid', scope: 'read', status: 200 },
  'history-instance': { route: Get, method: 'GET', path: ':id/_history', scope: 'read', status: 200 },
  // Declared before `read` on a controller: `GET {type}/_history` would otherwise be a read of id `_history`.
  'history-type': { route: Get, method: 'GET', path: '_history', scope: 'search', status: 200 },
  create: { route: Post, method: 'POST', path: '', scope: 'create', status: 201 },
  update: { route: Put, method: 'PUT', path: ':id', scope: 'update', status: 200 },
  patch: { route: Patch, method: 'PATCH', path: ':id', scope: 'update', status: 200 },
  delete: { route: Delete, method: 'DELETE', path: ':id', scope: 'delete', status: 204 },
  'search-type': { route: Get, method: 'GET', path: '', scope: 'search', status: 200 },
  // Not an interaction code of its own: the statement shows it as `conditionalUpdate`. 201 when it creates.
  'conditional-update': { route: Put, method: 'PUT', path: '', scope: 'update', status: 200 },
} as const satisfies Record<
  string,
  {
    route: (path: string) => MethodDecorator;
    method: string;
    path: string;
    scope: Interaction;
    status: number;
  }
>;

export type FhirInteractionCode = keyof typeof INTERACTIONS;

export interface SearchParamDeclaration {
  readonly name: string;
  readonly type: 'token' | 'string' | 'date' | 'reference' | 'quantity';
}

export interface FhirResourceOptions {
  /** The resource type its ledger entries name, when the records behind it are ledgered under another. */
  readonly auditedAs?: string;
}

interface Declared {
  readonly resource: string;
  readonly interaction: FhirInteractionCode;
  readonly searchParams: readonly SearchParamDeclaration[];
  /** A create that honours If-None-Exist. */
  readonly conditional?: boolean;
  /** A search's `_include` and `_revinclude` values. */
  readonly includes?: readonly string[];
  readonly revIncludes?: readonly string[];
}

export type FhirInteractionOptions = Pick<Declared, 'conditional' | 'includes' | 'revIncludes'>;

const declared: Declared[] = [];
const declaredSystem: SystemInteractionCode[] = [];

type SystemInteractionCode = 'batch' | 'transaction';

/** Declares a handler as serving system-level interactions at the base, listed in the CapabilityStatement. */
export function FhirSystemInteraction(...codes: SystemInteractionCode[]): MethodDecorator {
  declaredSystem.push(...codes);
  return applyDecorators();
}

/** The operations this server runs, by resource type, with their official definitions. */
const OPERATIONS = {
  validate: 'http://hl7.org/fhir/OperationDefinition/Resource-validate',
} as const;

type FhirOperationName = keyof typeof OPERATIONS;

const declaredOperations: { resource: string; name: FhirOperationName }[] = [];

/**
 * Declares a handler as a FHIR operation on a resource type (`POST /fhir/R4/{type}/$name`, 200): the
 * CapabilityStatement lists it. It needs the SMART `create` scope on the type: it takes content as a write would.
 */
export function FhirOperation(resource: string, name: FhirOperationName): MethodDecorator {
  declaredOperations.push({ resource, name });
  return applyDecorators(Post(`$${name}`), HttpCode(200), RequireScope(resource, 'create'));
}

/**
 * A controller serving one FHIR resource type at `/fhir/R4/{type}`: OperationOutcome errors, FHIR content
 * negotiation, and requests that fail before the service entered in the audit ledger under the same type.
 */
export const FhirResource = (resourceType: string, options: FhirResourceOptions = {}) =>
  applyDecorators(
    ApiTags('fhir'),
    AuditedResource(options.auditedAs ?? resourceType, {
      // Only a Patient's own URL names a patient; no route has a `patient` parameter otherwise.
      patientIdParam: resourceType === 'Patient' ? 'id' : 'patient',
    }),
    UseFilters(FhirExceptionFilter),
    UseInterceptors(FhirHttpInterceptor),
    Controller(`${FHIR_BASE}/${resourceType}`),
  );

/**
 * Declares a handler as a FHIR interaction: its route and SMART scope come from the interaction, and the
 * CapabilityStatement lists it. The one place a FHIR route is made, so the statement cannot drift from them.
 */
export function FhirInteraction(
  resource: string,
  interaction: FhirInteractionCode,
  searchParams: readonly SearchParamDeclaration[] = [],
  options: FhirInteractionOptions = {},
): MethodDecorator {
  declared.push({ resource, interaction, searchParams, ...options });
  const { route, path, scope, status } = INTERACTIONS[interaction];
  return applyDecorators(route(path), HttpCode(status), RequireScope(resource, scope));
}

/** The method and path (relative to the server root) of an interaction on a resource type. */
export function routeOf(
  resource: string,
  interaction: FhirInteractionCode,
): { method: string; path: string } {
  const { method, path } = INTERACTIONS[interaction];
  return { method, path: `/${FHIR_BASE}/${resource}${path ? `/${path}` : ''}` };
}

/** Every declared interaction, by resource type. */
export function declaredInteractions(): ReadonlyMap<string, readonly Declared[]> {
  const byResource = new Map<string, Declared[]>();
  for (const entry of declared)
    byResource.set(entry.resource, [...(byResource.get(entry.resource) ?? []), entry]);
  return byResource;
}

const SMART_SECURITY = {
  cors: false,
  service: [
    {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' },
      ],
    },
  ],
  description: 'OAuth2 bearer tokens with SMART scopes; endpoints in .well-known/smart-configuration.',
};

/** The CapabilityStatement of this server, generated from the declared interactions. */
export function capabilityStatement(date: string): CapabilityStatement {
  const resource = [...declaredInteractions()].map(([type, entries]): CapabilityStatementRestResource => ({
    type,
    interaction: entries
      .filter(({ interaction }) => interaction !== 'conditional-update')
      .map(({ interaction }) => ({
        code: interaction as Exclude<FhirInteractionCode, 'conditional-update'>,
      })),
    versioning: 'versioned-update',
    readHistory: entries.some(({ interaction }) => interaction === 'vread'),
    updateCreate: false,
    conditionalCreate: entries.some(
      ({ interaction, conditional }) => interaction === 'create' && conditional,
    ),
    conditionalUpdate: entries.some(({ interaction }) => interaction === 'conditional-update'),
    conditionalDelete: 'not-supported',
    ...includesOf(entries),
    ...searchParamsOf(entries),
    ...operationsOf(type),
  }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: [FHIR_JSON, 'json'],
    implementation: { description: 'Health data platform FHIR R4 face' },
    rest: [
      {
        mode: 'server',
        security: SMART_SECURITY,
        resource,
        interaction: declaredSystem.map((code) => ({ code })),
      },
    ],
  };
}

function operationsOf(type: string) {
  const operations = declaredOperations.filter(({ resource }) => resource === type);
  return operations.length > 0
    ? { operation: operations.map(({ name }) => ({ name, definition: OPERATIONS[name] })) }
    : {};
}

function includesOf(entries: readonly Declared[]) {
  const includes = entries.flatMap((entry) => entry.includes ?? []);
  const revIncludes = entries.flatMap((entry) => entry.revIncludes ?? []);
  return {
    ...(includes.length > 0 ? { searchInclude: includes } : {}),
    ...(revIncludes.length > 0 ? { searchRevInclude: revIncludes } : {}),
  };
}

function searchParamsOf(entries: readonly Declared[]) {
  const params = entries.flatMap((entry) => entry.searchParams);
  return params.length > 0 ? { searchParam: params.map(({ name, type }) => ({ name, type })) } : {};
}
