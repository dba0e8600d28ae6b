import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Put,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuditedResource } from '@hdp/audit';
import { RequireScope } from '@hdp/platform';
import { ResourceHeadersInterceptor } from '../http/resource-headers.interceptor';
import { DeliveryListDto, ReminderDto, ReminderListDto, ReminderResponseDto } from './dto/reminder.dto';
import { RemindersService } from './reminders.service';
import { IF_MATCH_HEADER } from '../http/if-match-header';

@ApiTags('reminders')
@AuditedResource('CommunicationRequest', { resourceIdParam: 'reminderId', patientIdParam: 'id' })
@UseInterceptors(ResourceHeadersInterceptor)
@Controller('api/v1/patients/:id/reminders')
export class RemindersController {
  constructor(private readonly reminders: RemindersService) {}

  @Post()
  @RequireScope('CommunicationRequest', 'create')
  @ApiOperation({ summary: 'Add a medication schedule or appointment reminder' })
  @ApiCreatedResponse({ type: ReminderResponseDto })
  create(@Param('id') id: string, @Body() dto: ReminderDto): Promise<ReminderResponseDto> {
    return this.reminders.create(id, dto);
  }

  @Get()
  @RequireScope('CommunicationRequest', 'search')
  @ApiOperation({ summary: "List a patient's reminders" })
  @ApiOkResponse({ type: ReminderListDto })
  list(@Param('id') id: string): Promise<ReminderListDto> {
    return this.reminders.list(id);
  }

  @Get(':reminderId')
  @RequireScope('CommunicationRequest', 'read')
  @ApiOperation({ summary: 'Read a reminder, with its next occurrence and when it will be sent' })
  @ApiOkResponse({ type: ReminderResponseDto })
  get(@Param('id') id: string, @Param('reminderId') reminderId: string): Promise<ReminderResponseDto> {
    return this.reminders.get(id, reminderId);
  }

  @Get(':reminderId/deliveries')
  @RequireScope('CommunicationRequest', 'read')
  @ApiOperation({ summary: "A reminder's deliveries, newest first: sent, retrying or failed" })
  @ApiOkResponse({ type: DeliveryListDto })
  deliveries(@Param('id') id: string, @Param('reminderId') reminderId: string): Promise<DeliveryListDto> {
    return this.reminders.deliveriesOf(id, reminderId);
  }

  @Put(':reminderId')
  @RequireScope('CommunicationRequest', 'update')
  @ApiOperation({ summary: 'Replace a reminder (If-Match)' })
  @ApiHeader(IF_MATCH_HEADER)
  @ApiOkResponse({ type: ReminderResponseDto })
  replace(
    @Param('id') id: string,
    @Param('reminderId') reminderId: string,
    @Body() dto: ReminderDto,
    @Headers('if-match') ifMatch?: string,
  ): Promise<ReminderResponseDto> {
    return this.reminders.replace(id, reminderId, dto, ifMatch);
  }

  @Delete(':reminderId')
  @RequireScope('CommunicationRequest', 'delete')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a reminder (If-Match)' })
  @ApiHeader(IF_MATCH_HEADER)
  @ApiNoContentResponse({ description: 'Deleted' })
  delete(
    @Param('id') id: string,
    @Param('reminderId') reminderId: string,
    @Headers('if-match') ifMatch?: string,
  ): Promise<void> {
    return this.reminders.delete(id, reminderId, ifMatch);
  }
}
