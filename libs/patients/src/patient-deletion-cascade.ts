import { Injectable } from '@nestjs/common';

/** Removes one kind of a deleted patient's data; must be idempotent (recovery may run it again). */
export type CascadeStep = (patientId: string) => Promise<void>;

/**
 * What else goes when a patient is deleted, beyond the patient lib's own records: modules that keep patient
 * data elsewhere (documents) register a step, so the patient lib need not know them.
 */
@Injectable()
export class PatientDeletionCascade {
  private readonly steps: CascadeStep[] = [];

  register(step: CascadeStep): void {
    this.steps.push(step);
  }

  async run(patientId: string): Promise<void> {
    for (const step of this.steps) await step(patientId);
  }
}
