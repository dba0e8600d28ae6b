import { Injectable } from '@nestjs/common';
import {
  AppConfig,
  OidcDiscoveryError,
  OidcDiscoveryService,
  SecretName,
  SecretsService,
} from '@hdp/platform';
import { createRemoteJWKSet, errors, JWTPayload, jwtVerify } from 'jose';
import { UnauthenticatedError } from '../security-errors';

const ALGORITHMS = ['RS256', 'ES256'];
const CACHE_LIMIT = 10_000;

type KeySet = ReturnType<typeof createRemoteJWKSet>;

/**
 * Verifies OIDC bearer tokens with jose against the issuer's JWKS: RS256/ES256 only, issuer, audience,
 * exp/nbf with a small skew. The JWKS is discovered once per issuer and cached by jose, which refetches it
 * when a token names an unknown `kid`. Verified tokens are cached until they expire, so a client's repeated
 * calls cost one map look-up, not one signature check.
 */
@Injectable()
export class JwtVerifierService {
  private keySet?: { issuer: string; keys: Promise<KeySet> };
  private readonly verified = new Map<string, { payload: JWTPayload; expiresAt: number; audience: string }>();

  constructor(
    private readonly config: AppConfig,
    private readonly secrets: SecretsService,
    private readonly discovery: OidcDiscoveryService,
  ) {}

  async verify(token: string): Promise<JWTPayload> {
    const issuer = this.discovery.issuer();
    const audience = this.secrets.getOptional(SecretName.OidcAudience);
    if (!issuer || !audience) throw new UnauthenticatedError('issuer-unavailable');
    const cached = this.verified.get(token);
    if (
      cached &&
      cached.expiresAt > Date.now() &&
      cached.payload.iss === issuer &&
      cached.audience === audience
    ) {
      return cached.payload;
    }
    const payload = await this.verifySignature(token, issuer, audience);
    this.remember(token, payload, audience);
    return payload;
  }

  private async verifySignature(token: string, issuer: string, audience: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, await this.keysOf(issuer), {
        issuer,
        audience,
        algorithms: ALGORITHMS,
        clockTolerance: this.config.OIDC_CLOCK_SKEW_S,
        requiredClaims: ['sub', 'exp'],
      });
      return payload;
    } catch (error) {
      throw new UnauthenticatedError(reasonOf(error));
    }
  }

  private keysOf(issuer: string): Promise<KeySet> {
    if (this.keySet?.issuer !== issuer) {
      const keys = this.discovery.configuration(issuer).then(({ jwks_uri }) =>
        createRemoteJWKSet(new URL(jwks_uri), {
          cooldownDuration: this.config.OIDC_JWKS_COOLDOWN_MS,
        }),
      );
      void keys.catch(() => (this.keySet = undefined));
      this.keySet = { issuer, keys };
    }
    return this.keySet.keys;
  }

  private remember(token: string, payload: JWTPayload, audience: string): void {
    if (this.verified.size >= CACHE_LIMIT) {
      const now = Date.now();
      for (const [key, entry] of this.verified) if (entry.expiresAt <= now) this.verified.delete(key);
      if (this.verified.size >= CACHE_LIMIT) this.verified.clear();
    }
    const skewMs = this.config.OIDC_CLOCK_SKEW_S * 1000;
    this.verified.set(token, { payload, audience, expiresAt: (payload.exp ?? 0) * 1000 + skewMs });
  }
}

function reasonOf(error: unknown): UnauthenticatedError['reason'] {
  if (error instanceof errors.JWTExpired) return 'expired-token';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown-key';
  if (error instanceof errors.JWKSInvalid || error instanceof errors.JWKSTimeout) return 'issuer-unavailable';
  if (error instanceof OidcDiscoveryError) return 'issuer-unavailable';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'malformed-token';
  if (error instanceof TypeError) return 'issuer-unavailable';
  return 'invalid-token';
}
