import { Injectable } from '@nestjs/common';
import {
  AppConfig,
  listOf,
  Principal,
  RequestContextService,
  RequiredScope,
  Role,
  scopesPermit,
} from '@hdp/platform';
import ipaddr from 'ipaddr.js';
import { ForbiddenError } from '../security-errors';
import { SecurityMetrics } from '../security-metrics';

/** What a route demands, read from its decorators. */
export interface RouteAccess {
  readonly scope?: RequiredScope;
  readonly roles?: readonly Role[];
  readonly adminNetwork: boolean;
  readonly anyAuthenticated: boolean;
  /** The route addresses one patient's compartment (a REST route under `/patients/:id`). */
  readonly onePatient: boolean;
}

export const BREAK_GLASS_HEADER = 'x-break-glass-reason';
const REASON = /^[^\p{Cc}]{3,500}$/u;

/**
 * Decides 403s: roles, SMART scopes, the admin network allow-list, and break-glass. A clinician (without a
 * patient in context) denied by a scope may still read one patient's records by declaring why
 * (X-Break-Glass-Reason): a read of one record, or a search within one patient's compartment. The reason goes
 * into the request context for the audit ledger and the use is counted. Writes, searches across patients,
 * Bundles, role-only routes (audit, admin) and admin operations never accept break-glass.
 */
@Injectable()
export class AuthorisationService {
  private readonly adminNetworks: [ipaddr.IPv4 | ipaddr.IPv6, number][];

  constructor(
    config: AppConfig,
    private readonly contexts: RequestContextService,
    private readonly metrics: SecurityMetrics,
  ) {
    this.adminNetworks = listOf(config.ADMIN_ALLOWED_CIDRS).map((cidr) => ipaddr.parseCIDR(cidr));
  }

  authorise(
    principal: Principal,
    access: RouteAccess,
    clientAddress: string,
    breakGlassReason?: string,
  ): void {
    if (access.adminNetwork && !this.isAdminAddress(clientAddress)) {
      this.metrics.denied('network');
      throw new ForbiddenError('Admin operations are not accepted from this network.');
    }
    if (access.anyAuthenticated) return;
    if (access.scope === undefined && access.roles === undefined) {
      // Fail closed: a route that declares neither a scope nor roles is a route someone forgot to protect.
      this.metrics.denied('undeclared');
      throw new ForbiddenError('This route declares no access rule.');
    }
    const roleDenied =
      access.roles !== undefined && !access.roles.some((role) => principal.roles.includes(role));
    const scopeDenied =
      access.scope !== undefined &&
      !scopesPermit(principal.scopes, access.scope.resource, access.scope.interaction, !!principal.patientId);
    if (!roleDenied && !scopeDenied) return;
    if (!roleDenied && this.breakGlassOpens(access) && this.breaksGlass(principal, breakGlassReason)) return;
    this.metrics.denied(roleDenied ? 'role' : 'scope');
    throw new ForbiddenError();
  }

  /** Break-glass opens reads of one patient's records: never a write, a search across patients, a role-only or an admin route. */
  private breakGlassOpens(access: RouteAccess): boolean {
    if (access.adminNetwork || access.scope === undefined) return false;
    const { interaction } = access.scope;
    return interaction === 'read' || (interaction === 'search' && access.onePatient);
  }

  private breaksGlass(principal: Principal, reason: string | undefined): boolean {
    const declared = reason?.trim();
    const clinician = principal.roles.includes(Role.Clinician) && !principal.patientId;
    if (!clinician || !declared || !REASON.test(declared)) return false;
    const context = this.contexts.current();
    if (context) context.breakGlassReason = declared;
    this.metrics.brokeGlass();
    return true;
  }

  private isAdminAddress(address: string): boolean {
    if (!ipaddr.isValid(address)) return false;
    const ip = ipaddr.process(address);
    return this.adminNetworks.some(([range, bits]) => ip.kind() === range.kind() && ip.match(range, bits));
  }
}
