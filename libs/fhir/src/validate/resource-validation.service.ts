import { Injectable } from '@nestjs/common';
import type { OperationOutcome, Parameters } from 'fhir/r4';
import { AuditAction, AuditLedgerService } from '@hdp/audit';
import { DomainError, ErrorKind, InvalidInputError } from '@hdp/platform';
import { operationOutcome } from '../http/operation-outcome';

/** Checks a resource as a create (or update) would, throwing the DomainError a write would answer with. */
export type ResourceCheck = (resource: unknown) => unknown;

const MODES = ['create', 'update'];
const REFUSALS = new Set([ErrorKind.Invalid, ErrorKind.Unprocessable]);
const VALID: OperationOutcome = {
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'information', code: 'informational', diagnostics: 'No issues found.' }],
};

/**
 * FHIR `$validate`: the resource, posted alone or as the `resource` part of a Parameters, goes through the
 * same checks as a write (`mode` create, the default, or update) and nothing is stored. The answer is 200
 * with an OperationOutcome listing every issue (each with its expression), as the operation defines; an
 * unusable request (no resource, an unknown mode) is a 400. Each call is in the ledger as `validate`.
 */
@Injectable()
export class ResourceValidationService {
  constructor(private readonly ledger: AuditLedgerService) {}

  validate(type: string, body: unknown, queryMode: unknown, check: ResourceCheck): Promise<OperationOutcome> {
    return this.ledger.read({ action: AuditAction.Validate, resourceType: type }, async () => {
      const { resource, mode } = requestOf(body, queryMode);
      if (mode === 'update' && typeof (resource as { id?: unknown }).id !== 'string')
        return operationOutcome(422, 'The resource is not valid.', [
          { path: `${type}.id`, message: 'an update needs the resource id' },
        ]);
      try {
        await check(resource);
        return VALID;
      } catch (error) {
        if (error instanceof DomainError && REFUSALS.has(error.kind))
          return operationOutcome(422, error.message, error.issues);
        throw error;
      }
    });
  }
}

function requestOf(body: unknown, queryMode: unknown): { resource: unknown; mode: string } {
  const parameters = body as Parameters | undefined;
  const fromParameters = parameters?.resourceType === 'Parameters';
  const part = (name: string) => parameters?.parameter?.find((parameter) => parameter.name === name);
  const resource = fromParameters ? part('resource')?.resource : body;
  const mode = (fromParameters ? part('mode')?.valueCode : undefined) ?? queryMode ?? 'create';
  if (typeof mode !== 'string' || !MODES.includes(mode))
    throw new InvalidInputError('The validation request is invalid.', [
      { path: 'mode', message: `supported modes: ${MODES.join(', ')}` },
    ]);
  if (typeof resource !== 'object' || resource === null)
    throw new InvalidInputError('The validation request is invalid.', [
      { path: 'resource', message: 'post the resource, or a Parameters with a resource part' },
    ]);
  return { resource, mode };
}
