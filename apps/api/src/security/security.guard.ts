import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { matchAuditedRoute } from '@hdp/audit';
import type { Request, Response } from 'express';
import {
  ADMIN_NETWORK,
  ANY_AUTHENTICATED,
  IS_PUBLIC,
  REQUIRED_ROLES,
  REQUIRED_SCOPE,
  RequiredScope,
  RequestContextService,
  Role,
} from '@hdp/platform';
import { AuthenticationService } from './authentication/authentication.service';
import { AuthorisationService, BREAK_GLASS_HEADER, RouteAccess } from './authorisation/authorisation.service';
import { RateLimitService } from './rate-limit/rate-limit.service';
import type { ClientLimits } from './rate-limit/client-limits';
import { ForbiddenError, ThrottledException, UnauthenticatedError } from './security-errors';
import { SecurityMetrics } from './security-metrics';

/**
 * The security pipeline, registered as the global guard so every route passes through it unless it is
 * visibly marked @Public(). In order: authentication (401), authorisation (403), rate limit and quota (429);
 * 401s and 403s count against the client address, which past its limit is answered 429 whatever it sends.
 */
@Injectable()
export class SecurityGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authentication: AuthenticationService,
    private readonly authorisation: AuthorisationService,
    private readonly rateLimits: RateLimitService,
    private readonly contexts: RequestContextService,
    private readonly metrics: SecurityMetrics,
  ) {}

  async canActivate(execution: ExecutionContext): Promise<boolean> {
    if (this.metadata<boolean>(execution, IS_PUBLIC)) return true;
    const req = execution.switchToHttp().getRequest<Request>();
    const res = execution.switchToHttp().getResponse<Response>();
    try {
      const limits = await this.admit(execution, req, res);
      await this.rateLimits.consume(limits, req.ip ?? '');
    } catch (error) {
      if (error instanceof ThrottledException) res.setHeader('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
    return true;
  }

  /** Authentication and authorisation; each 401 or 403 counts against the client address. */
  private async admit(execution: ExecutionContext, req: Request, res: Response): Promise<ClientLimits> {
    try {
      const { principal, limits } = await this.authenticate(req, res);
      const context = this.contexts.current();
      if (context) context.principal = principal;
      this.authorisation.authorise(
        principal,
        this.accessOf(execution, req),
        req.ip ?? '',
        req.header(BREAK_GLASS_HEADER),
      );
      return limits;
    } catch (error) {
      if (error instanceof UnauthenticatedError || error instanceof ForbiddenError)
        await this.rateLimits.countFailure(req.ip ?? '');
      throw error;
    }
  }

  private async authenticate(req: Request, res: Response) {
    try {
      return await this.authentication.authenticate(req);
    } catch (error) {
      if (!(error instanceof UnauthenticatedError)) throw error;
      this.metrics.authenticationFailed(error.reason);
      const invalid = error.reason === 'missing-credentials' ? '' : ', error="invalid_token"';
      res.setHeader('WWW-Authenticate', `Bearer realm="hdp"${invalid}`);
      throw error;
    }
  }

  private accessOf(execution: ExecutionContext, req: Request): RouteAccess {
    return {
      onePatient: matchAuditedRoute(req.method, req.path)?.patientId !== undefined,
      scope: this.metadata<RequiredScope>(execution, REQUIRED_SCOPE),
      roles: this.metadata<Role[]>(execution, REQUIRED_ROLES),
      adminNetwork: this.metadata<boolean>(execution, ADMIN_NETWORK) ?? false,
      anyAuthenticated: this.metadata<boolean>(execution, ANY_AUTHENTICATED) ?? false,
    };
  }

  private metadata<T>(execution: ExecutionContext, key: string): T | undefined {
    return this.reflector.getAllAndOverride<T | undefined>(key, [
      execution.getHandler(),
      execution.getClass(),
    ]);
  }
}
