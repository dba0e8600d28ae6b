import { Injectable } from '@nestjs/common';
import { PatientHistoryService, TestResultHistoryService } from '@hdp/patients';
import type { RecordVersion } from '@hdp/patients';
import { DomainError, ErrorKind } from '@hdp/platform';
import { ObservationResourceService } from '../observation/observation-resource.service';
import { toFhirObservation } from '../observation/observation.mapper';
import { toFhirPatient } from '../patient/patient.mapper';
import { PatientResourceService } from '../patient/patient-resource.service';

/** A resource a transaction may write. */
export interface TouchedResource {
  readonly type: string;
  readonly id: string;
}

/**
 * Undoes what a transaction wrote, newest first, by setting each resource it touched back to the version it
 * had when the transaction started: one created since is deleted, one updated or deleted since is restored
 * to that version's content (a new version, so its history shows the change and its undoing). What the
 * transaction never reached is left as it is. Each undoing is an audited write, like any other.
 */
@Injectable()
export class TransactionRollback {
  constructor(
    private readonly patients: PatientResourceService,
    private readonly observations: ObservationResourceService,
    private readonly patientVersions: PatientHistoryService,
    private readonly resultVersions: TestResultHistoryService,
  ) {}

  async run(resources: readonly TouchedResource[], startedAt: Date): Promise<void> {
    for (const resource of [...resources].reverse()) await this.undo(resource, startedAt);
  }

  private async undo({ type, id }: TouchedResource, startedAt: Date): Promise<void> {
    if (type === 'Patient')
      // A patient's deletion cascades to its results and is not undone: transactions do not delete patients.
      await this.setBack(this.patientVersions, this.patients, id, startedAt, {
        revives: false,
        restore: (prior) => this.patients.restore(id, toFhirPatient(prior)),
      });
    else
      await this.setBack(this.resultVersions, this.observations, id, startedAt, {
        revives: true,
        restore: (prior) => this.observations.restore(id, toFhirObservation(prior)),
      });
  }

  private async setBack<T>(
    versions: VersionsOf<T>,
    service: { delete(id: string, ifMatch: undefined): Promise<void> },
    id: string,
    startedAt: Date,
    { revives, restore }: { revives: boolean; restore: (prior: T) => Promise<unknown> },
  ): Promise<void> {
    const [before, latest] = await Promise.all([versions.versionAt(id, startedAt), versions.versionAt(id)]);
    if (!latest || latest.version === before?.version) return;
    if (!before) {
      await service.delete(id, undefined).catch(ignoreAbsent);
      return;
    }
    if (!before.deleted && (revives || !latest.deleted)) await restore(before.record);
  }
}

interface VersionsOf<T> {
  versionAt(id: string, at?: Date): Promise<RecordVersion<T> | undefined>;
}

function ignoreAbsent(error: unknown): void {
  const absent = error instanceof DomainError && [ErrorKind.NotFound, ErrorKind.Gone].includes(error.kind);
  if (!absent) throw error;
}
