import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { AppConfig, listOf, Principal, RequestContextService } from '@hdp/platform';
import { map, Observable } from 'rxjs';
import { MaskingPolicy, maskPhi } from './phi-masker';

const ANONYMOUS: Principal = { id: '', clientId: '', roles: [], scopes: [] };

type Redactions = Record<string, { fields?: string[]; extensions?: string[] }>;

/**
 * The one place responses are shaped by who asks, for REST and FHIR routes alike: national identifiers
 * masked for callers whose roles may not see them, and per-role removal of free-text fields and extensions.
 */
@Injectable()
export class PhiMaskingInterceptor implements NestInterceptor {
  private readonly nationalSystems: ReadonlySet<string>;
  private readonly identifierRoles: ReadonlySet<string>;
  private readonly redactions: Redactions;

  constructor(
    config: AppConfig,
    private readonly contexts: RequestContextService,
  ) {
    this.nationalSystems = new Set(listOf(config.PHI_NATIONAL_ID_SYSTEMS));
    this.identifierRoles = new Set(listOf(config.PHI_IDENTIFIER_ROLES));
    this.redactions = config.PHI_REDACTIONS ? (JSON.parse(config.PHI_REDACTIONS) as Redactions) : {};
  }

  intercept(_execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((body: unknown) => {
        // No principal (a @Public() route): the strictest policy, should such a route ever return PHI.
        const principal = this.contexts.current()?.principal ?? ANONYMOUS;
        return body !== null && typeof body === 'object' ? maskPhi(body, this.policyFor(principal)) : body;
      }),
    );
  }

  private policyFor(principal: Principal): MaskingPolicy {
    const seesIdentifiers = principal.roles.some((role) => this.identifierRoles.has(role));
    return {
      maskedSystems: seesIdentifiers ? new Set() : this.nationalSystems,
      removedFields: this.removedBy(principal, 'fields'),
      removedExtensions: this.removedBy(principal, 'extensions'),
    };
  }

  /** Removed only if every one of the caller's roles removes it: a caller keeps what any of its roles may see. */
  private removedBy(principal: Principal, what: 'fields' | 'extensions'): Set<string> {
    const perRole = principal.roles.map((role) => new Set(this.redactions[role]?.[what] ?? []));
    if (perRole.length === 0)
      return new Set(Object.values(this.redactions).flatMap((entry) => entry[what] ?? []));
    return new Set([...perRole[0]].filter((item) => perRole.every((set) => set.has(item))));
  }
}
