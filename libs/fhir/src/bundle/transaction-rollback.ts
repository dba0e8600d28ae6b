import { Injectable } from '@nestjs/common';
import { DomainError, ErrorKind } from '@hdp/platform';
import { ObservationResourceService } from '../observation/observation-resource.service';
import { PatientResourceService } from '../patient/patient-resource.service';

/** Undoes what a transaction created, newest first; what was never created (or is gone already) is skipped. */
@Injectable()
export class TransactionRollback {
  constructor(
    private readonly patients: PatientResourceService,
    private readonly observations: ObservationResourceService,
  ) {}

  async run(creates: readonly { type: string; id: string }[]): Promise<void> {
    for (const { type, id } of [...creates].reverse()) {
      const remove = type === 'Patient' ? this.patients : this.observations;
      await remove.delete(id, undefined).catch((error: unknown) => {
        const absent =
          error instanceof DomainError && [ErrorKind.NotFound, ErrorKind.Gone].includes(error.kind);
        if (!absent) throw error;
      });
    }
  }
}
