import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditController } from './audit.controller';
import { AuditCheckpointArchive } from './audit-checkpoint.archive';
import { AuditCheckpointRepository } from './audit-checkpoint.repository';
import { AuditCheckpointService } from './audit-checkpoint.service';
import {
  AuditChainHeadDocument,
  AuditChainHeadSchema,
  AuditCheckpointDocument,
  AuditCheckpointSchema,
  AuditEntryDocument,
  AuditEntrySchema,
} from './audit-entry.schema';
import { AuditEntryRepository } from './audit-entry.repository';
import { AuditEventsService } from './audit-events.service';
import { AuditLedgerService } from './audit-ledger.service';
import { AuditTrailMiddleware } from './audit-trail.middleware';
import { AuditVerifierService } from './audit-verifier.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: AuditEntryDocument.name, schema: AuditEntrySchema },
      { name: AuditChainHeadDocument.name, schema: AuditChainHeadSchema },
      { name: AuditCheckpointDocument.name, schema: AuditCheckpointSchema },
    ]),
  ],
  controllers: [AuditController],
  providers: [
    AuditEntryRepository,
    AuditCheckpointRepository,
    AuditCheckpointArchive,
    AuditCheckpointService,
    AuditLedgerService,
    AuditVerifierService,
    AuditEventsService,
    AuditTrailMiddleware,
  ],
  exports: [
    AuditLedgerService,
    AuditCheckpointService,
    AuditVerifierService,
    AuditEventsService,
    AuditTrailMiddleware,
  ],
})
export class AuditModule {}
