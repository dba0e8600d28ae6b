import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Principal, RequestContextService, Role } from '@hdp/platform';

/** Who the ledger names for the pipeline's reads and writes of patient data. */
export const DEVICE_PIPELINE_PRINCIPAL: Principal = {
  id: 'device-pipeline',
  clientId: 'device-pipeline',
  roles: [Role.PartnerSystem],
  scopes: ['system/Patient.cr', 'system/Device.cru', 'system/Encounter.r', 'system/Observation.cru'],
};

/**
 * Runs pipeline work as the device pipeline's own principal, in a request context of its own, so the FHIR
 * services check and audit it as they do any caller. One context (one correlation id) per unit of work.
 */
@Injectable()
export class PipelineContext {
  constructor(private readonly contexts: RequestContextService) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    const context = {
      requestId: randomUUID(),
      traceId: randomBytes(16).toString('hex'),
      clientAddress: 'internal',
      userAgent: 'device-pipeline',
      principal: DEVICE_PIPELINE_PRINCIPAL,
    };
    return this.contexts.run(context, work);
  }
}
