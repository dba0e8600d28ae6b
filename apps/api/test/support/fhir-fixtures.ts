import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { RequestContextService, Role } from '@hdp/platform';
import { DEFAULT_PRINCIPAL, TestApp } from './test-app';

export const FHIR_JSON = 'application/fhir+json';

/** A resource without what the server assigns. */
export const content = (resource: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(resource).filter(([key]) => key !== 'id' && key !== 'meta'));

/** An official HL7 R4 example from ../shared/fixtures/fhir-r4 (read fresh on every call). */
export const fixture = (name: string) =>
  JSON.parse(
    readFileSync(
      path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'fixtures', 'fhir-r4', name),
      'utf8',
    ),
  ) as Record<string, unknown>;

interface Outcome {
  resourceType: string;
  issue: { expression?: string[] }[];
}

/** The response is an OperationOutcome with this status (and, when given, an issue at this expression). */
export function expectOutcome(res: { status: number; body: unknown }, status: number, expression?: string) {
  const body = res.body as Outcome;
  expect(res.status).toBe(status);
  expect(body.resourceType).toBe('OperationOutcome');
  if (expression) expect(body.issue.flatMap((issue) => issue.expression ?? [])).toContain(expression);
}

/** Runs `work` in process as the device pipeline does: in a request context of its own principal. */
export function asPipeline<T>(app: INestApplication, work: () => Promise<T>): Promise<T> {
  const principal = { ...DEFAULT_PRINCIPAL, id: 'device-pipeline', roles: [Role.PartnerSystem] };
  return app
    .get(RequestContextService)
    .run({ requestId: 'r1', traceId: 'd'.repeat(32), clientAddress: 'internal', principal }, work);
}

/** Creates a resource of `type` over FHIR as the default principal (201 expected); resolves to its id. */
export async function createResource(ctx: TestApp, type: string, body: object): Promise<string> {
  const res = await ctx
    .as()
    .post(`/fhir/R4/${type}`)
    .set('content-type', FHIR_JSON)
    .send(JSON.stringify({ resourceType: type, ...body }))
    .expect(201);
  return (res.body as { id: string }).id;
}
