import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { AuthenticationService } from './authentication/authentication.service';
import { JwtVerifierService } from './authentication/jwt-verifier.service';
import { AuthorisationService } from './authorisation/authorisation.service';
import { PhiMaskingInterceptor } from './masking/phi-masking.interceptor';
import { RateLimitService } from './rate-limit/rate-limit.service';
import { SecurityGuard } from './security.guard';
import { SecurityMetrics } from './security-metrics';
import { Subscription, SubscriptionSchema } from './subscriptions/subscription.schema';
import { SubscriptionRepository } from './subscriptions/subscription.repository';
import { SubscriptionsController } from './subscriptions/subscriptions.controller';
import { SubscriptionsService } from './subscriptions/subscriptions.service';

/**
 * The security pipeline: a global guard (authentication, authorisation, rate limits) in front of every
 * route, and a global interceptor shaping every response (PHI masking). Routes open up only with @Public().
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: Subscription.name, schema: SubscriptionSchema }])],
  controllers: [SubscriptionsController],
  providers: [
    SecurityMetrics,
    JwtVerifierService,
    SubscriptionRepository,
    SubscriptionsService,
    AuthenticationService,
    AuthorisationService,
    RateLimitService,
    { provide: APP_GUARD, useClass: SecurityGuard },
    { provide: APP_INTERCEPTOR, useClass: PhiMaskingInterceptor },
  ],
})
export class SecurityModule {}
