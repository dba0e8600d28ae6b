import { Body, Controller, Get, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditedResource } from '@hdp/audit';
import { RequireScope } from '@hdp/platform';
import { ResourceHeadersInterceptor } from '../http/resource-headers.interceptor';
import {
  MedicationDoseCreateDto,
  MedicationDoseListQueryDto,
  MedicationDosePageDto,
  MedicationDoseResponseDto,
} from './dto/medication-dose.dto';
import { MedicationDosesService } from './medication-doses.service';
import { AUDITED_AS } from './patient-reported-records.service';

@ApiTags('patient-reported')
@AuditedResource(AUDITED_AS.MedicationStatement, { resourceIdParam: 'doseId', patientIdParam: 'id' })
@Controller('api/v1/patients/:id/patient-reported/medication-doses')
export class MedicationDosesController {
  constructor(private readonly doses: MedicationDosesService) {}

  @Post()
  @RequireScope('MedicationStatement', 'create')
  @UseInterceptors(ResourceHeadersInterceptor)
  @ApiOperation({ summary: 'Record a medication dose one took (patient-context token of this patient only)' })
  @ApiCreatedResponse({ type: MedicationDoseResponseDto })
  create(@Param('id') id: string, @Body() dto: MedicationDoseCreateDto): Promise<MedicationDoseResponseDto> {
    return this.doses.create(id, dto);
  }

  @Get()
  @RequireScope('MedicationStatement', 'search')
  @ApiOperation({ summary: "List a patient's reported doses, newest first (from, to)" })
  @ApiOkResponse({ type: MedicationDosePageDto })
  list(@Param('id') id: string, @Query() query: MedicationDoseListQueryDto): Promise<MedicationDosePageDto> {
    return this.doses.list(id, query);
  }

  @Get(':doseId')
  @RequireScope('MedicationStatement', 'read')
  @UseInterceptors(ResourceHeadersInterceptor)
  @ApiOperation({ summary: 'Read a reported dose' })
  @ApiOkResponse({ type: MedicationDoseResponseDto })
  get(@Param('id') id: string, @Param('doseId') doseId: string): Promise<MedicationDoseResponseDto> {
    return this.doses.get(id, doseId);
  }
}
