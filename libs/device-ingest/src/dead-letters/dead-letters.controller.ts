import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { AdminOperation } from '@hdp/platform';
import { DeadLetterRecord } from './dead-letter.repository';
import { DeadLettersService, ReplayOutcome } from './dead-letters.service';

export class DeadLetterListDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

@ApiTags('device ingest')
@AdminOperation()
@Controller('api/v1/device-dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @ApiOperation({ summary: 'Dead letters, newest first (admins; they hold raw device events)' })
  list(@Query() query: DeadLetterListDto): Promise<DeadLetterRecord[]> {
    return this.deadLetters.list(query.limit ?? 100);
  }

  @Post('$replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replay dead letters through the current templates' })
  replayAll(@Query() query: DeadLetterListDto): Promise<ReplayOutcome[]> {
    return this.deadLetters.replayAll(query.limit ?? 100);
  }

  @Post(':id/$replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replay one dead letter through the current templates' })
  replay(@Param('id') id: string): Promise<ReplayOutcome> {
    return this.deadLetters.replay(id);
  }
}
