import { Injectable } from '@nestjs/common';
import { IdentifierDto } from './dto/patient.dto';
import { DuplicateIdentifierError } from './patients.errors';
import { identifierKey, PatientsRepository } from './patients.repository';

/** A claim older than this whose holder does not hold the identifier was left by a crashed write. */
const STALE_CLAIM_MS = 60_000;

/**
 * "One patient per identifier" across two collections without transactions: identifiers are claimed
 * before the patient is written and released after; a claim left behind by a crash is taken over once
 * it is old enough and its holder does not carry the identifier.
 */
@Injectable()
export class PatientIdentifierClaimsService {
  constructor(private readonly repository: PatientsRepository) {}

  /** Claims every identifier for the patient, or none (throws DuplicateIdentifierError). */
  async claim(patientId: string, identifiers: readonly IdentifierDto[] = []): Promise<void> {
    const claimed: string[] = [];
    for (const key of new Set(identifiers.map(identifierKey))) {
      if (!(await this.claimOne(key, patientId))) {
        await this.repository.releaseClaims(claimed, patientId);
        throw new DuplicateIdentifierError();
      }
      claimed.push(key);
    }
  }

  /** Releases the claims on identifiers the patient held before and no longer does. */
  async releaseDropped(patientId: string, before: readonly IdentifierDto[], after: readonly IdentifierDto[]) {
    const kept = new Set(after.map(identifierKey));
    await this.repository.releaseClaims(
      before.map(identifierKey).filter((key) => !kept.has(key)),
      patientId,
    );
  }

  private async claimOne(key: string, patientId: string): Promise<boolean> {
    if (await this.repository.claimIdentifier(key, patientId)) return true;
    const claim = await this.repository.claimOf(key);
    if (!claim) return this.repository.claimIdentifier(key, patientId);
    if (Date.now() - claim.claimedAt.getTime() < STALE_CLAIM_MS) return false;
    const holder = await this.repository.findLive(claim.patientId);
    if (holder?.identifier?.some((identifier) => identifierKey(identifier) === key)) return false;
    return this.repository.takeOverClaim(key, claim.patientId, patientId);
  }
}
