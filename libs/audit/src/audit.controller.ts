import { Controller, Get, Query } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRole, Role } from '@hdp/platform';
import { AuditedResource } from './audited-resource.decorator';
import { AuditEventsService } from './audit-events.service';
import { AuditEventPageDto, AuditEventSearchDto } from './dto/audit-event-search.dto';
import { LedgerVerificationDto } from './dto/ledger-verification.dto';

@ApiTags('audit')
@AuditedResource('AuditEvent')
@RequireRole(Role.Auditor)
@Controller('api/v1')
export class AuditController {
  constructor(private readonly events: AuditEventsService) {}

  @Get('audit-events')
  @ApiOperation({ summary: 'Search the audit ledger (auditors only), newest first' })
  @ApiOkResponse({ type: AuditEventPageDto })
  @ApiForbiddenResponse({ description: 'The caller is not an auditor' })
  search(@Query() query: AuditEventSearchDto): Promise<AuditEventPageDto> {
    return this.events.search(query);
  }

  @Get('audit/verify')
  @ApiOperation({ summary: 'Verify every chain of the ledger (auditors only)' })
  @ApiOkResponse({ type: LedgerVerificationDto })
  @ApiForbiddenResponse({ description: 'The caller is not an auditor' })
  verify(): Promise<LedgerVerificationDto> {
    return this.events.verify();
  }
}
