import { RequireScope } from '@hdp/platform';
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
  Query,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuditedResource } from '@hdp/audit';
import {
  TestResultCreateDto,
  TestResultPageDto,
  TestResultResponseDto,
  TestResultSearchDto,
  TestResultUpdateDto,
} from './dto/test-result.dto';
import { ResourceHeadersInterceptor } from './http/resource-headers.interceptor';
import { TestResultsService } from './test-results.service';
import { IF_MATCH_HEADER } from './http/if-match-header';

@ApiTags('test results')
@AuditedResource('TestResult', { resourceIdParam: 'resultId', patientIdParam: 'id' })
@UseInterceptors(ResourceHeadersInterceptor)
@Controller('api/v1/patients/:id/test-results')
export class TestResultsController {
  constructor(private readonly results: TestResultsService) {}

  @Post()
  @RequireScope('Observation', 'create')
  @ApiOperation({ summary: 'Record a test result for a patient' })
  @ApiCreatedResponse({ type: TestResultResponseDto })
  @ApiNotFoundResponse({ description: 'Unknown or inaccessible patient' })
  create(@Param('id') id: string, @Body() dto: TestResultCreateDto): Promise<TestResultResponseDto> {
    return this.results.create(id, dto);
  }

  @Get()
  @RequireScope('Observation', 'search')
  @ApiOperation({ summary: "List a patient's test results, newest first (code, status, from, to)" })
  @ApiOkResponse({ type: TestResultPageDto })
  search(@Param('id') id: string, @Query() query: TestResultSearchDto): Promise<TestResultPageDto> {
    return this.results.search(id, query);
  }

  @Get(':resultId')
  @RequireScope('Observation', 'read')
  @ApiOperation({ summary: 'Read a test result' })
  @ApiOkResponse({ type: TestResultResponseDto })
  get(@Param('id') id: string, @Param('resultId') resultId: string): Promise<TestResultResponseDto> {
    return this.results.get(id, resultId);
  }

  @Put(':resultId')
  @RequireScope('Observation', 'update')
  @ApiOperation({ summary: 'Replace a test result (amend, correct, cancel)' })
  @ApiHeader(IF_MATCH_HEADER)
  @ApiOkResponse({ type: TestResultResponseDto })
  replace(
    @Param('id') id: string,
    @Param('resultId') resultId: string,
    @Body() dto: TestResultUpdateDto,
    @Headers('if-match') ifMatch?: string,
  ): Promise<TestResultResponseDto> {
    return this.results.replace(id, resultId, dto, ifMatch);
  }

  @Delete(':resultId')
  @RequireScope('Observation', 'delete')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a test result' })
  @ApiHeader(IF_MATCH_HEADER)
  @ApiNoContentResponse({ description: 'Deleted' })
  delete(
    @Param('id') id: string,
    @Param('resultId') resultId: string,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.results.delete(id, resultId, ifMatch);
  }
}
