import { CanActivate, Injectable } from '@nestjs/common';
import { Principal, RequestContextService } from '@hdp/platform';
import type { Request } from 'express';
import type { ExecutionContext } from '@nestjs/common';

export const TEST_PRINCIPAL_HEADER = 'x-test-principal';

/**
 * Test-only stand-in for the security pipeline until it lands: puts the principal the test names in the
 * request context. Registered by startTestApp only; production code has no such path.
 */
@Injectable()
export class TestPrincipalGuard implements CanActivate {
  constructor(private readonly contexts: RequestContextService) {}

  canActivate(execution: ExecutionContext): boolean {
    const header = execution.switchToHttp().getRequest<Request>().header(TEST_PRINCIPAL_HEADER);
    const context = this.contexts.current();
    if (header && context) context.principal = JSON.parse(header) as Principal;
    return true;
  }
}
