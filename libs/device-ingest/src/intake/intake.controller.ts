import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AppConfig, RequireRole, RequireScope, Role } from '@hdp/platform';
import { NDJSON, parseByteSize, readIntakeBody } from './intake-body';
import { IntakeResult, IntakeService } from './intake.service';

@ApiTags('device ingest')
@Controller('api/v1/device-events')
export class IntakeController {
  constructor(
    private readonly intake: IntakeService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @RequireRole(Role.PartnerSystem)
  @RequireScope('Observation', 'create')
  @HttpCode(202)
  @ApiConsumes('application/json', NDJSON)
  @ApiOperation({ summary: 'Queue a batch of device events (202 once durably stored)' })
  async accept(@Req() req: Request): Promise<IntakeResult> {
    return this.intake.accept(await readIntakeBody(req, parseByteSize(this.config.BODY_LIMIT)));
  }
}
