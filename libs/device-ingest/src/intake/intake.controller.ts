import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AppConfig, RequestContextService } from '@hdp/platform';
import { DeviceAccess, requireDeviceAccess } from '../access/device-access';
import { NDJSON, parseByteSize, readIntakeBody } from './intake-body';
import { IntakeResult, IntakeService } from './intake.service';

@ApiTags('device ingest')
@Controller('api/v1/device-events')
export class IntakeController {
  constructor(
    private readonly intake: IntakeService,
    private readonly contexts: RequestContextService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiConsumes('application/json', NDJSON)
  @ApiOperation({ summary: 'Queue a batch of device events (202 once durably stored)' })
  async accept(@Req() req: Request): Promise<IntakeResult> {
    requireDeviceAccess(this.contexts, DeviceAccess.SendEvents);
    return this.intake.accept(await readIntakeBody(req, parseByteSize(this.config.BODY_LIMIT)));
  }
}
