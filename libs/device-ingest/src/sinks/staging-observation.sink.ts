import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Observation } from 'fhir/r4';
import { Model } from 'mongoose';
import { DeviceMappings } from '../device-mappings';
import { MeasurementGroup } from '../grouping/measurement-group';
import {
  observationIdentifier,
  ObservationReferences,
  observationResourceId,
} from '../identity/observation-identity';
import { ObservationSink } from '../pipeline/observation-sink';
import { StagedObservation } from './staged-observation.schema';

const DUPLICATE_KEY = 11000;

/**
 * DEVICE_OBSERVATION_SINK=staging: Observations kept in this service's own collection until the FHIR store
 * provides the production sink. Each write is one document, created or merged under its deterministic id
 * with a compare-and-set on `revision`, so redelivery and concurrent replicas never duplicate a reading.
 */
@Injectable()
export class StagingObservationSink implements ObservationSink {
  constructor(@InjectModel(StagedObservation.name) private readonly model: Model<StagedObservation>) {}

  async upsert(groups: readonly MeasurementGroup[], mappings: DeviceMappings): Promise<{ written: number }> {
    let written = 0;
    for (const group of groups) if (await this.upsertOne(group, mappings)) written++;
    return { written };
  }

  /** Staged resources by id (tests and the future migration into the FHIR store). */
  async find(id: string): Promise<Observation | undefined> {
    return (await this.model.findById(id).lean())?.resource;
  }

  private async upsertOne(group: MeasurementGroup, mappings: DeviceMappings): Promise<boolean> {
    const references = referencesOf(group);
    const id = observationResourceId(observationIdentifier(group, references));
    for (;;) {
      const stored = await this.model.findById(id).lean();
      const merge = mappings.toObservation(group, references, stored?.resource);
      if (!stored) {
        if (await this.insert(id, merge.observation)) return true;
        continue;
      }
      if (!merge.changed) return false;
      const { matchedCount } = await this.model.updateOne(
        { _id: id, revision: stored.revision },
        { $set: { resource: merge.observation, revision: stored.revision + 1 } },
      );
      if (matchedCount === 1) return true;
    }
  }

  private async insert(id: string, resource: Observation): Promise<boolean> {
    try {
      await this.model.create({ _id: id, resource, revision: 1 });
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }
}

/** Until the FHIR store resolves device and patient resources, the staged Observation names the source ids. */
export function referencesOf(group: MeasurementGroup): ObservationReferences {
  return {
    patientId: group.patientId ?? 'unlinked',
    deviceId: group.deviceId,
    ...(group.encounterId === undefined ? {} : { encounterId: group.encounterId }),
  };
}
