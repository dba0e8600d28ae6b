import { Body, Controller, Get, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditedResource } from '@hdp/audit';
import { RequireScope } from '@hdp/platform';
import { ResourceHeadersInterceptor } from '../http/resource-headers.interceptor';
import {
  MeasurementCreateDto,
  MeasurementListQueryDto,
  MeasurementPageDto,
  MeasurementResponseDto,
} from './dto/measurement.dto';
import { SummaryQueryDto, SummaryResponseDto } from './dto/summary.dto';
import { MeasurementsService } from './measurements.service';
import { AUDITED_AS } from './patient-reported-records.service';
import { SummaryService } from './summary.service';

@ApiTags('patient-reported')
@AuditedResource(AUDITED_AS.Observation, { resourceIdParam: 'observationId', patientIdParam: 'id' })
@Controller('api/v1/patients/:id/patient-reported')
export class MeasurementsController {
  constructor(
    private readonly measurements: MeasurementsService,
    private readonly summaries: SummaryService,
  ) {}

  @Post('observations')
  @RequireScope('Observation', 'create')
  @UseInterceptors(ResourceHeadersInterceptor)
  @ApiOperation({ summary: 'Record a measurement of oneself (patient-context token of this patient only)' })
  @ApiCreatedResponse({ type: MeasurementResponseDto })
  create(@Param('id') id: string, @Body() dto: MeasurementCreateDto): Promise<MeasurementResponseDto> {
    return this.measurements.create(id, dto);
  }

  @Get('observations')
  @RequireScope('Observation', 'search')
  @ApiOperation({ summary: "List a patient's own measurements, newest first (code, from, to)" })
  @ApiOkResponse({ type: MeasurementPageDto })
  list(@Param('id') id: string, @Query() query: MeasurementListQueryDto): Promise<MeasurementPageDto> {
    return this.measurements.list(id, query);
  }

  @Get('observations/:observationId')
  @RequireScope('Observation', 'read')
  @UseInterceptors(ResourceHeadersInterceptor)
  @ApiOperation({ summary: 'Read a patient-reported measurement' })
  @ApiOkResponse({ type: MeasurementResponseDto })
  get(
    @Param('id') id: string,
    @Param('observationId') observationId: string,
  ): Promise<MeasurementResponseDto> {
    return this.measurements.get(id, observationId);
  }

  @Get('summary')
  @RequireScope('Observation', 'search')
  @ApiOperation({
    summary: 'Min, max, mean and count per code per UTC day or ISO week, computed by the store',
  })
  @ApiOkResponse({ type: SummaryResponseDto })
  summary(@Param('id') id: string, @Query() query: SummaryQueryDto): Promise<SummaryResponseDto> {
    return this.summaries.summary(id, query);
  }
}
