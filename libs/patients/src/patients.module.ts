import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditModule } from '@hdp/audit';
import { AuditRecoveryService } from './audit-recovery.service';
import { DeviceDocument, DeviceSchema } from './devices/device.schema';
import { DevicesRepository } from './devices/devices.repository';
import { DevicesService } from './devices/devices.service';
import { EncounterDocument, EncounterSchema } from './encounters/encounter.schema';
import { EncountersRepository } from './encounters/encounters.repository';
import { EncountersService } from './encounters/encounters.service';
import { PatientAccessService } from './patient-access.service';
import { PatientDeletionCascade } from './patient-deletion-cascade';
import { PatientsController } from './patients.controller';
import { PatientsRepository } from './patients.repository';
import { PatientDocument, PatientSchema } from './patients.schema';
import { PatientsService } from './patients.service';
import { TestResultsByIdentifierService } from './test-results-by-identifier.service';
import { TestResultsController } from './test-results.controller';
import { TestResultsRepository } from './test-results.repository';
import { TestResultDocument, TestResultSchema } from './test-results.schema';
import { TestResultsService } from './test-results.service';
import { PatientHistoryService, TestResultHistoryService } from './versions/record-history.services';
import { VERSION_MODELS } from './versions/resource-version.schema';

@Module({
  imports: [
    AuditModule,
    MongooseModule.forFeature([
      { name: PatientDocument.name, schema: PatientSchema },
      { name: TestResultDocument.name, schema: TestResultSchema },
      { name: DeviceDocument.name, schema: DeviceSchema },
      { name: EncounterDocument.name, schema: EncounterSchema },
      ...VERSION_MODELS,
    ]),
  ],
  controllers: [PatientsController, TestResultsController],
  providers: [
    PatientsRepository,
    TestResultsRepository,
    PatientAccessService,
    PatientsService,
    TestResultsService,
    TestResultsByIdentifierService,
    DevicesRepository,
    DevicesService,
    EncountersRepository,
    EncountersService,
    AuditRecoveryService,
    PatientDeletionCascade,
    PatientHistoryService,
    TestResultHistoryService,
  ],
  exports: [
    PatientHistoryService,
    TestResultHistoryService,
    PatientsService,
    TestResultsService,
    TestResultsByIdentifierService,
    DevicesService,
    EncountersService,
    PatientAccessService,
    AuditRecoveryService,
    PatientDeletionCascade,
  ],
})
export class PatientsModule {}
