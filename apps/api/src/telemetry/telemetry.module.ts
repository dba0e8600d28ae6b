import { DynamicModule, Module, OnApplicationShutdown } from '@nestjs/common';
import { Telemetry } from './telemetry';

/** Flushes batched spans, metrics and logs when the application shuts down (after the HTTP server drains). */
@Module({})
export class TelemetryModule implements OnApplicationShutdown {
  constructor(private readonly telemetry: Telemetry) {}

  static forRoot(telemetry: Telemetry): DynamicModule {
    return { module: TelemetryModule, providers: [{ provide: Telemetry, useValue: telemetry }] };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.telemetry.shutdown();
  }
}
