import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from '@hdp/audit';
import { DeviceIngestModule, DevicePipelineModule } from '@hdp/device-ingest';
import { FhirModule } from '@hdp/fhir';
import { PatientsModule } from '@hdp/patients';
import {
  AppConfig,
  ConfigModule,
  DatabaseModule,
  RequestContextMiddleware,
  RequestContextModule,
} from '@hdp/platform';
import { HealthModule } from './health/health.module';
import { ProblemFilter } from './http/problem.filter';
import { loggerParams } from './logging';

@Module({})
export class AppModule implements NestModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config)),
        RequestContextModule,
        DatabaseModule,
        HealthModule,
        AuditModule,
        PatientsModule,
        FhirModule,
        DeviceIngestModule,
        DevicePipelineModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes('*path');
  }
}
