import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type { Identifier } from 'fhir/r4';
import { TestResultObservation } from './dto/test-result.dto';
import { PatientAccessService } from './patient-access.service';
import { VersionMismatchError } from './patients.errors';
import {
  AmbiguousIdentifierError,
  ConditionalIdentifierError,
  ObservationIdentifierTakenError,
} from './test-results.errors';
import { identifierKeyOf, ObservationContent } from './test-results.keys';
import { TestResultsRepository } from './test-results.repository';
import { TestResultsService } from './test-results.service';

/** Rounds a conditional update may lose to concurrent writers of the same identifier before it gives up. */
const MAX_ATTEMPTS = 20;
const RETRY_STEP_MS = 10;

/** Writes of test results addressed by identifier rather than id: FHIR conditional update, the device pipeline's sink. */
@Injectable()
export class TestResultsByIdentifierService {
  constructor(
    private readonly repository: TestResultsRepository,
    private readonly results: TestResultsService,
    private readonly access: PatientAccessService,
  ) {}

  /** The caller may write results by identifier (403 otherwise): checked before anything is looked up. */
  requireAuthor(): void {
    this.access.requireConditionalAuthor();
  }

  /**
   * Conditional update by identifier: creates the Observation when no live result holds `identifier`,
   * replaces the one that does, AmbiguousIdentifierError (412) when several do. Preconditions: `ifMatch`
   * must name the held result's version (412 when it does not, or when none is held); `createOnly` refuses
   * to replace one (412). `content.identifier[0]` must be `identifier`: the store's unique key on it makes
   * parallel calls converge on one result (a losing create retries as an update, or is a 412 when create-only).
   */
  async updateByIdentifier(
    identifier: Identifier,
    patientId: string,
    content: ObservationContent,
    precondition: { ifMatch?: string; createOnly?: boolean } = {},
  ): Promise<{ observation: TestResultObservation; created: boolean }> {
    this.requireAuthor();
    const { ifMatch, createOnly = false } = precondition;
    if (
      content.identifier?.[0] === undefined ||
      identifierKeyOf(content.identifier[0]) !== identifierKeyOf(identifier)
    )
      throw new ConditionalIdentifierError();
    for (let attempt = 1; ; attempt++) {
      const matches = await this.repository.findByIdentifier(identifierKeyOf(identifier), 2);
      if (matches.length > 1) throw new AmbiguousIdentifierError();
      if ((matches.length === 0 && ifMatch !== undefined) || (matches.length > 0 && createOnly))
        throw new VersionMismatchError();
      try {
        if (matches.length === 0)
          return { observation: await this.results.createObservation(patientId, content), created: true };
        const observation = await this.results.updateObservation(
          matches[0]._id,
          patientId,
          content,
          ifMatch ?? '*',
        );
        return { observation, created: false };
      } catch (error) {
        if (error instanceof ObservationIdentifierTakenError && createOnly) throw new VersionMismatchError();
        const raced =
          error instanceof ObservationIdentifierTakenError ||
          (error instanceof VersionMismatchError && ifMatch === undefined);
        if (!raced || attempt === MAX_ATTEMPTS) throw error;
        // The winner may still be writing the version it claimed: give it time before reading again.
        await sleep(Math.random() * RETRY_STEP_MS * attempt);
      }
    }
  }
}
