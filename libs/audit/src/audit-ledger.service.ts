import { createHash, randomInt, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  AppConfig,
  RequestContext,
  RequestContextService,
  safeErrorSummary,
  SecretName,
  SecretsService,
} from '@hdp/platform';
import { AuditChain } from './audit-chain';
import { AuditDraft, AuditEvent, auditOutcomeOf } from './audit-event';
import { AuditEntryRepository } from './audit-entry.repository';
import { AuditSigner } from './audit-signer';
import { ChainHeadPublisher } from './chain-head-publisher';

/** An event before its outcome is known; `success` is the status it will have if the work succeeds. */
export type PendingAuditEvent = Omit<AuditEvent, 'outcome'> & { readonly success?: number };

const ANONYMOUS = { id: 'anonymous', clientId: 'unknown', roles: [] as string[] };
const MAX_FREE_TEXT = 256;

/**
 * The one way into the audit ledger. Entries are spread over AUDIT_CHAINS independent chains by patient
 * (or, without one, by correlation id), so one patient's history stays in order on one chain while
 * different patients' appends run in parallel.
 */
@Injectable()
export class AuditLedgerService {
  private readonly logger = new Logger(AuditLedgerService.name);
  private readonly chains: AuditChain[];
  private readonly audited = new WeakSet<RequestContext>();
  private readonly unchained: boolean;
  readonly signer: AuditSigner;

  constructor(
    config: AppConfig,
    secrets: SecretsService,
    private readonly contexts: RequestContextService,
    private readonly repository: AuditEntryRepository,
  ) {
    this.signer = this.signerFrom(secrets.getOptional(SecretName.AuditSigningKey), config);
    this.unchained = config.AUDIT_BENCH_UNCHAINED;
    const heads = new ChainHeadPublisher(repository, this.signer, (error: unknown) =>
      this.logger.error({ error: safeErrorSummary(error) }, 'Advancing audit chain heads failed'),
    );
    this.chains = Array.from(
      { length: config.AUDIT_CHAINS },
      (_, id) => new AuditChain(id, repository, this.signer, heads),
    );
  }

  /** Completes an event with who, where and why from the request context, ready to append or to hold. */
  draft(event: AuditEvent, context = this.contexts.current()): AuditDraft {
    if (context) this.audited.add(context);
    const actor = context?.principal;
    // No undefined fields: the draft is stored as an intent and must read back exactly as written.
    return withoutUndefined({
      ...event,
      id: randomUUID(),
      at: new Date(),
      actor: actor ? { id: actor.id, clientId: actor.clientId, roles: [...actor.roles] } : ANONYMOUS,
      clientAddress: context?.clientAddress ?? 'unknown',
      userAgent: context?.userAgent?.slice(0, MAX_FREE_TEXT),
      correlationId: context?.traceId ?? 'none',
      purposeOfUse: context?.purposeOfUse?.slice(0, MAX_FREE_TEXT),
      breakGlassReason: context?.breakGlassReason?.slice(0, MAX_FREE_TEXT),
    });
  }

  /** Seals and stores a draft; resolves once it is durable. Appending the same draft twice stores it once. */
  append(draft: AuditDraft): Promise<void> {
    if (this.unchained) return this.appendUnchained(draft);
    return this.chains[this.chainOf(draft)].append(draft);
  }

  /** Drafts and appends in one step: for interactions that change nothing (reads, searches, failures). */
  record(event: AuditEvent, context?: RequestContext): Promise<void> {
    return this.append(this.draft(event, context));
  }

  /**
   * Runs a read and appends its entry before the result is returned: if the ledger cannot take the entry,
   * the read fails (fail closed). Failures and denials are entered with the status the caller will see.
   */
  async read<T>(
    { success, ...event }: PendingAuditEvent,
    work: () => Promise<T>,
    countOf?: (value: T) => number,
  ): Promise<T> {
    let value: T;
    try {
      value = await work();
    } catch (error) {
      await this.record({ ...event, outcome: auditOutcomeOf(error) });
      throw error;
    }
    await this.record({ ...event, outcome: success ?? 200, count: countOf?.(value) });
    return value;
  }

  /**
   * Runs a change that stores `draft` as a write-ahead intent in the same single-document write, appends
   * the entry once the change is durable, then lets `settle` finish the change and clear the intent. A crash
   * anywhere after the write leaves the intent for the recovery sweep to finish the same way.
   */
  async change<T>(
    { success, ...event }: PendingAuditEvent,
    work: (draft: AuditDraft) => Promise<{ value: T; settle: () => Promise<void> | void }>,
  ): Promise<T> {
    const draft = this.draft({ ...event, outcome: success ?? 200 });
    let result: { value: T; settle: () => Promise<void> | void };
    try {
      result = await work(draft);
    } catch (error) {
      await this.record({ ...event, outcome: auditOutcomeOf(error) });
      throw error;
    }
    await this.append(draft);
    await result.settle();
    return result.value;
  }

  /** Whether something in this request has already been written to (or held for) the ledger. */
  hasAudited(context: RequestContext): boolean {
    return this.audited.has(context);
  }

  private chainOf(draft: AuditDraft): number {
    const key = draft.patientId ?? draft.correlationId;
    return createHash('sha256').update(key).digest().readUInt32BE(0) % this.chains.length;
  }

  private async appendUnchained(draft: AuditDraft): Promise<void> {
    const entry = {
      ...draft,
      chain: -1,
      seq: randomInt(2 ** 47),
      prevHash: '',
      hash: '',
      keyId: '',
      signature: '',
    };
    await this.repository.insertMany([entry]);
  }

  /** Keys come from the `audit-signing-key` secret (Key Vault in production); a new key id takes a restart. */
  private signerFrom(keys: string | undefined, config: AppConfig): AuditSigner {
    if (keys) return AuditSigner.fromConfig(keys, config.AUDIT_SIGNING_KEY_ID);
    if (config.NODE_ENV === 'production') {
      throw new Error('The audit-signing-key secret is required in production');
    }
    this.logger.warn(
      'No audit-signing-key secret: signing with an ephemeral key, unverifiable after restart',
    );
    return AuditSigner.ephemeral();
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
