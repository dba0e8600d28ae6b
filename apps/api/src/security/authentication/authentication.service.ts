import { Injectable } from '@nestjs/common';
import { AppConfig, Principal } from '@hdp/platform';
import type { Request } from 'express';
import { clientCounter, ClientLimits } from '../rate-limit/client-limits';
import { UnauthenticatedError } from '../security-errors';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';
import { JwtVerifierService } from './jwt-verifier.service';
import { principalFromToken } from './token-principal';

export const SUBSCRIPTION_KEY_HEADER = 'ocp-apim-subscription-key';
const BEARER = /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/;
const MAX_CREDENTIAL_LENGTH = 8192;

export interface Authenticated {
  readonly principal: Principal;
  readonly limits: ClientLimits;
}

/** Who is calling: an OIDC bearer token, or else a partner system's subscription key. Nothing else passes. */
@Injectable()
export class AuthenticationService {
  constructor(
    private readonly config: AppConfig,
    private readonly tokens: JwtVerifierService,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  async authenticate(req: Request): Promise<Authenticated> {
    const authorization = req.header('authorization');
    const subscriptionKey = req.header(SUBSCRIPTION_KEY_HEADER);
    if (authorization !== undefined) return this.fromBearer(authorization);
    if (subscriptionKey !== undefined) return this.subscriptions.authenticate(subscriptionKey);
    throw new UnauthenticatedError('missing-credentials');
  }

  private async fromBearer(authorization: string): Promise<Authenticated> {
    const token = authorization.length <= MAX_CREDENTIAL_LENGTH ? BEARER.exec(authorization)?.[1] : undefined;
    if (!token) throw new UnauthenticatedError('malformed-token');
    const principal = principalFromToken(await this.tokens.verify(token));
    // A token whose client is a subscription spends that subscription's limits, in the same counter.
    const limits = (await this.subscriptions.limitsOf(principal.clientId)) ?? {
      key: clientCounter(principal.clientId),
      tier: this.config.DEFAULT_QUOTA_TIER,
    };
    return { principal, limits };
  }
}
