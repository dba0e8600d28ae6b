import { Body, Controller, Get, Header, HttpCode, Param, ParseEnumPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOperation } from '@hdp/platform';
import {
  SubscriptionCreateDto,
  SubscriptionCreatedDto,
  SubscriptionKeyDto,
  SubscriptionResponseDto,
} from './dto/subscription.dto';
import type { KeySlot } from './subscription.schema';
import { SubscriptionsService } from './subscriptions.service';

const slotPipe = new ParseEnumPipe({ primary: 'primary', secondary: 'secondary' });

@ApiTags('admin')
@ApiBearerAuth()
@AdminOperation()
@Controller('api/v1/admin/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Creates a partner subscription; its two keys are shown in this response only.' })
  create(@Body() input: SubscriptionCreateDto): Promise<SubscriptionCreatedDto> {
    return this.subscriptions.create(input);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A subscription, without its keys.' })
  get(@Param('id') id: string): Promise<SubscriptionResponseDto> {
    return this.subscriptions.get(id);
  }

  @Post(':id/keys/:slot/rotate')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Replaces one key; the other keeps working. The new key is shown only here.' })
  rotate(@Param('id') id: string, @Param('slot', slotPipe) slot: KeySlot): Promise<SubscriptionKeyDto> {
    return this.subscriptions.rotate(id, slot);
  }

  @Post(':id/keys/:slot/revoke')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revokes one key at once; rotate the slot to issue a new one.' })
  revoke(@Param('id') id: string, @Param('slot', slotPipe) slot: KeySlot): Promise<void> {
    return this.subscriptions.revoke(id, slot);
  }
}
