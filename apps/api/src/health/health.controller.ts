import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { AppConfig, Public } from '@hdp/platform';
import { DatabaseHealthIndicator } from './database.health';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly config: AppConfig,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the database answers a ping; 503 when it does not.' })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database.ping('database', this.config.READINESS_TIMEOUT_MS),
      ]);
    } catch (error) {
      throw new ServiceUnavailableException(`Not ready: ${failedChecks(error).join(', ')} unavailable.`);
    }
  }
}

function failedChecks(error: unknown): string[] {
  const body =
    error instanceof ServiceUnavailableException ? (error.getResponse() as HealthCheckResult) : undefined;
  return Object.keys(body?.error ?? { dependency: true });
}
