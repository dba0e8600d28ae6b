import { Body, Controller, Get, Headers, Param, Put, Res, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditedResource } from '@hdp/audit';
import { RequireScope } from '@hdp/platform';
import { ResourceHeadersInterceptor } from '../../http/resource-headers.interceptor';
import {
  NotificationPreferencesDto,
  NotificationPreferencesResponseDto,
} from '../dto/notification-preferences.dto';
import { NotificationPreferencesService } from './notification-preferences.service';

@ApiTags('reminders')
@AuditedResource('NotificationPreferences', { resourceIdParam: 'id', patientIdParam: 'id' })
@UseInterceptors(ResourceHeadersInterceptor)
@Controller('api/v1/patients/:id/notification-preferences')
export class NotificationPreferencesController {
  constructor(private readonly preferences: NotificationPreferencesService) {}

  @Get()
  @RequireScope('Patient', 'read')
  @ApiOperation({ summary: "A patient's notification preferences" })
  @ApiOkResponse({ type: NotificationPreferencesResponseDto })
  get(@Param('id') id: string): Promise<NotificationPreferencesResponseDto> {
    return this.preferences.get(id);
  }

  @Put()
  @RequireScope('Patient', 'update')
  @ApiOperation({ summary: 'Set them: 201 the first time, then a replacement with If-Match' })
  @ApiHeader({ ...{ name: 'If-Match', description: 'Required once they exist' }, required: false })
  @ApiOkResponse({ type: NotificationPreferencesResponseDto })
  async put(
    @Param('id') id: string,
    @Body() dto: NotificationPreferencesDto,
    @Res({ passthrough: true }) res: Response,
    @Headers('if-match') ifMatch?: string,
  ): Promise<NotificationPreferencesResponseDto> {
    const { created, preferences } = await this.preferences.put(id, dto, ifMatch);
    res.status(created ? 201 : 200);
    return preferences;
  }
}
