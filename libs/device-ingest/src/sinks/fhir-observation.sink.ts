import { Injectable } from '@nestjs/common';
import type { Observation } from 'fhir/r4';
import { ObservationResourceService } from '@hdp/fhir';
import { ObservationIdentifierTakenError } from '@hdp/patients';
import { DomainError, ErrorKind } from '@hdp/platform';
import { DeviceMappings } from '../device-mappings';
import { MeasurementGroup } from '../grouping/measurement-group';
import { observationIdentifier, referencesOf } from '../identity/observation-identity';
import { PipelineContext } from '../pipeline/pipeline-context';
import { ObservationSink, RefusedGroup } from '../pipeline/observation-sink';

/** Rounds a merge may lose to concurrent writers of the same Observation before the group is refused. */
const MAX_ATTEMPTS = 20;

/**
 * The pipeline's Observations, written through the FHIR face (so stored, versioned and audited as any
 * Observation, under the pipeline's principal). Each group: read the Observation of its deterministic
 * identifier once, merge, then either update that Observation by id with `If-Match` on the version read, or
 * create it (the store's unique identifier key lets one of several creators win). A 412 or a lost create
 * means another writer came first: read and merge again, so no reading is lost. An unchanged merge writes
 * nothing. A group the FHIR face refuses for good (invalid, patient deleted, forbidden...) is handed back
 * as refused and the others go on; a store failure that may heal rejects the call, to be retried whole.
 */
@Injectable()
export class FhirObservationSink implements ObservationSink {
  constructor(
    private readonly observations: ObservationResourceService,
    private readonly context: PipelineContext,
  ) {}

  upsert(
    groups: readonly MeasurementGroup[],
    mappings: DeviceMappings,
  ): Promise<{ written: number; refused: RefusedGroup[] }> {
    return this.context.run(async () => {
      let written = 0;
      const refused: RefusedGroup[] = [];
      for (const group of groups) {
        try {
          if (await this.upsertOne(group, mappings)) written++;
        } catch (error) {
          if (!isRefusal(error)) throw error;
          refused.push({ group, error });
        }
      }
      return { written, refused };
    });
  }

  private async upsertOne(group: MeasurementGroup, mappings: DeviceMappings): Promise<boolean> {
    const references = referencesOf(group);
    const identifier = observationIdentifier(group, references);
    for (let attempt = 1; ; attempt++) {
      const existing = await this.observations.readByIdentifier(identifier);
      const merge = mappings.toObservation(group, references, existing);
      if (existing && !merge.changed) return false;
      try {
        await this.write(merge.observation, existing);
        return true;
      } catch (error) {
        if (!isOvertaken(error) || attempt === MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** Writes by id what was read by identifier, so the store does not look the identifier up again. */
  private async write(observation: Observation, existing?: Observation): Promise<void> {
    if (existing?.id)
      await this.observations.update(existing.id, observation, `W/"${existing.meta?.versionId}"`);
    else await this.observations.create(observation);
  }
}

/** Another writer of the same Observation came first: a stale version (412) or an identifier claimed meanwhile. */
function isOvertaken(error: unknown): boolean {
  return (
    error instanceof ObservationIdentifierTakenError ||
    (error instanceof DomainError && error.kind === ErrorKind.PreconditionFailed)
  );
}

/** The code's own rules said no (4xx): retrying the same group cannot heal it. */
function isRefusal(error: unknown): error is DomainError {
  return error instanceof DomainError && error.kind !== ErrorKind.Unavailable;
}
