import { Injectable } from '@nestjs/common';
import { ObservationResourceService } from '@hdp/fhir';
import { DomainError, ErrorKind } from '@hdp/platform';
import { DeviceMappings } from '../device-mappings';
import { MeasurementGroup } from '../grouping/measurement-group';
import { observationIdentifier, referencesOf } from '../identity/observation-identity';
import { PipelineContext } from '../pipeline/pipeline-context';
import { ObservationSink } from '../pipeline/observation-sink';

/** Rounds a merge may lose to concurrent writers of the same Observation before the batch is retried whole. */
const MAX_ATTEMPTS = 20;

/**
 * The pipeline's Observations, written through the FHIR face (so stored, versioned and audited as any
 * Observation, under the pipeline's principal). Each group: read the Observation of its deterministic
 * identifier, merge, write with a precondition on what was read (`If-Match` on its version, or
 * `If-None-Match: *` when there was none); a 412 means another writer came first: read and merge again,
 * so no reading is lost. An unchanged merge writes nothing.
 */
@Injectable()
export class FhirObservationSink implements ObservationSink {
  constructor(
    private readonly observations: ObservationResourceService,
    private readonly context: PipelineContext,
  ) {}

  upsert(groups: readonly MeasurementGroup[], mappings: DeviceMappings): Promise<{ written: number }> {
    return this.context.run(async () => {
      let written = 0;
      for (const group of groups) if (await this.upsertOne(group, mappings)) written++;
      return { written };
    });
  }

  private async upsertOne(group: MeasurementGroup, mappings: DeviceMappings): Promise<boolean> {
    const references = referencesOf(group);
    const identifier = observationIdentifier(group, references);
    for (let attempt = 1; ; attempt++) {
      const existing = await this.observations.readByIdentifier(identifier);
      const merge = mappings.toObservation(group, references, existing);
      if (existing && !merge.changed) return false;
      const precondition = existing ? { ifMatch: `W/"${existing.meta?.versionId}"` } : { ifNoneMatch: '*' };
      try {
        await this.observations.updateByIdentifier(identifier, merge.observation, precondition);
        return true;
      } catch (error) {
        const overtaken = error instanceof DomainError && error.kind === ErrorKind.PreconditionFailed;
        if (!overtaken || attempt === MAX_ATTEMPTS) throw error;
      }
    }
  }
}
