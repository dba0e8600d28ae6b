import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule, AuditTrailMiddleware } from '@hdp/audit';
import { DeviceIngestModule, DevicePipelineModule } from '@hdp/device-ingest';
import { FhirModule } from '@hdp/fhir';
import { DocumentsModule, PatientReportedModule, PatientsModule, RemindersModule } from '@hdp/patients';
import {
  AppConfig,
  ConfigModule,
  DatabaseModule,
  OidcModule,
  RequestContextMiddleware,
  RequestContextModule,
  secretSourceFor,
  SecretsModule,
} from '@hdp/platform';
import { HealthModule } from './health/health.module';
import { ProblemFilter } from './http/problem.filter';
import { loggerParams } from './logging';
import { SecurityModule } from './security/security.module';

@Module({})
export class AppModule implements NestModule {
  /** `env` feeds the `env` secrets source; tests pass their own. */
  static forRoot(config: AppConfig, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config)),
        RequestContextModule,
        SecretsModule.forRoot(secretSourceFor(config, env)),
        OidcModule,
        DatabaseModule,
        SecurityModule,
        HealthModule,
        AuditModule,
        PatientsModule,
        DocumentsModule,
        PatientReportedModule,
        RemindersModule,
        FhirModule,
        DeviceIngestModule,
        DevicePipelineModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware, AuditTrailMiddleware).forRoutes('*path');
  }
}
