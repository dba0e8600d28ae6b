import { RequireScope } from '@hdp/platform';
import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AuditedResource } from '@hdp/audit';
import {
  PatientCreateDto,
  PatientPageDto,
  PatientResponseDto,
  PatientSearchDto,
  PatientUpdateDto,
} from './dto/patient.dto';
import { MergePatchBody } from './http/merge-patch-body.decorator';
import { ResourceHeadersInterceptor } from './http/resource-headers.interceptor';
import { toRestPage, toRestPatient } from './patients.mapper';
import { PatientsService } from './patients.service';
import { IF_MATCH_HEADER } from './http/if-match-header';

@ApiTags('patients')
@AuditedResource('Patient')
@UseInterceptors(ResourceHeadersInterceptor)
@Controller('api/v1/patients')
export class PatientsController {
  constructor(private readonly patients: PatientsService) {}

  @Post()
  @RequireScope('Patient', 'create')
  @ApiOperation({ summary: 'Register a patient' })
  @ApiCreatedResponse({ type: PatientResponseDto, description: 'Created; Location and ETag headers set' })
  @ApiConflictResponse({ description: 'Another patient already has one of the identifiers' })
  create(@Body() dto: PatientCreateDto): Promise<PatientResponseDto> {
    return this.patients.create(dto).then(toRestPatient);
  }

  @Get()
  @RequireScope('Patient', 'search')
  @ApiOperation({ summary: 'Search patients (identifier=system|value, family, given, birthDate, gender)' })
  @ApiOkResponse({ type: PatientPageDto })
  search(@Query() query: PatientSearchDto): Promise<PatientPageDto> {
    return this.patients.search(query).then(toRestPage);
  }

  @Get(':id')
  @RequireScope('Patient', 'read')
  @ApiOperation({ summary: 'Read a patient' })
  @ApiOkResponse({ type: PatientResponseDto, description: 'ETag header set' })
  @ApiNotFoundResponse({ description: 'Unknown, deleted, or outside the caller compartment' })
  get(@Param('id') id: string): Promise<PatientResponseDto> {
    return this.patients.get(id).then(toRestPatient);
  }

  @Put(':id')
  @RequireScope('Patient', 'update')
  @ApiOperation({ summary: 'Replace a patient' })
  @ApiHeader(IF_MATCH_HEADER)
  @ApiOkResponse({ type: PatientResponseDto })
  @ApiPreconditionFailedResponse({ description: 'If-Match does not name the current version' })
  replace(@Param('id') id: string, @Body() dto: PatientUpdateDto, @Headers('if-match') ifMatch?: string) {
    return this.patients.replace(id, dto, ifMatch).then(toRestPatient);
  }

  @Patch(':id')
  @RequireScope('Patient', 'update')
  @ApiOperation({ summary: 'Change a patient with a JSON merge patch (application/merge-patch+json)' })
  @ApiHeader(IF_MATCH_HEADER)
  @ApiBody({
    schema: { type: 'object', example: { telecom: [{ system: 'email', value: 'thorin@example.org' }] } },
  })
  @ApiOkResponse({ type: PatientResponseDto })
  patch(@Param('id') id: string, @MergePatchBody() patch: unknown, @Headers('if-match') ifMatch?: string) {
    return this.patients.patch(id, patch, ifMatch).then(toRestPatient);
  }

  @Delete(':id')
  @RequireScope('Patient', 'delete')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a patient and their test results' })
  @ApiHeader(IF_MATCH_HEADER)
  @ApiNoContentResponse({ description: 'Deleted' })
  delete(@Param('id') id: string, @Headers('if-match') ifMatch?: string): Promise<void> {
    return this.patients.delete(id, ifMatch);
  }
}
