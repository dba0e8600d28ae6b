import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { Principal } from './principal';

/** Everything the request-handling code needs to know about the current request, without passing it around. */
export interface RequestContext {
  readonly requestId: string;
  /** W3C trace id (32 hex chars): the audit entries' correlation id and the reference quoted in error bodies. */
  readonly traceId: string;
  readonly clientAddress: string;
  readonly userAgent?: string;
  principal?: Principal;
  purposeOfUse?: string;
  breakGlassReason?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The one provider that holds the current request's context; the security pipeline fills `principal`. */
@Injectable()
export class RequestContextService {
  run<T>(context: RequestContext, callback: () => T): T {
    return storage.run(context, callback);
  }

  /** The current request's context, or undefined outside a request (start-up, background jobs). */
  current(): RequestContext | undefined {
    return storage.getStore();
  }

  /** The authenticated principal; throws when called where no authentication has happened. */
  principal(): Principal {
    const principal = storage.getStore()?.principal;
    if (!principal) throw new Error('No authenticated principal in the current request context');
    return principal;
  }
}
