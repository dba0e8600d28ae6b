import { IdentityResolutionError } from '../errors/identity-resolution.error';
import { Measurement } from '../normalization/measurement';
import { EventMapping } from '../pipeline/event-mapping';
import { ObservationReferences } from './observation-identity';
import { SourceIdentity } from './device-identity.resolver';

/**
 * Resolutions of the message ids met since the last `clear()`: the pipeline clears them at every flush, so a
 * device linked, re-linked or created elsewhere is seen at the next one, while one flush looks each id up once.
 * A store error is not kept (the next attempt looks again).
 */
export class ResolvedIdentities {
  private readonly resolved = new Map<string, Promise<ObservationReferences>>();

  constructor(private readonly resolve: (source: SourceIdentity) => Promise<ObservationReferences>) {}

  /** The event's measurements under the resource ids of their device, patient and encounter, or why not. */
  async apply(measurements: readonly Measurement[]): Promise<EventMapping> {
    const resolved: Measurement[] = [];
    try {
      for (const measurement of measurements) {
        const { deviceId, patientId, encounterId } = await this.referencesOf(measurement);
        resolved.push({ ...measurement, deviceId, patientId, encounterId });
      }
    } catch (error) {
      if (error instanceof IdentityResolutionError) {
        const failure = { errorType: error.name, reason: error.reason, message: error.message };
        return { ok: false, failure };
      }
      throw error;
    }
    return { ok: true, measurements: resolved };
  }

  clear(): void {
    this.resolved.clear();
  }

  private referencesOf({ deviceId, patientId, encounterId }: SourceIdentity): Promise<ObservationReferences> {
    const key = JSON.stringify([deviceId, patientId, encounterId]);
    let references = this.resolved.get(key);
    if (!references) {
      references = this.resolve({ deviceId, patientId, encounterId });
      this.resolved.set(key, references);
      references.catch((error: unknown) => {
        if (!(error instanceof IdentityResolutionError)) this.resolved.delete(key);
      });
    }
    return references;
  }
}
