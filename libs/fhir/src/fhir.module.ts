import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditModule } from '@hdp/audit';
import { DocumentsModule, PatientReportedModule, PatientsModule } from '@hdp/patients';
import { FhirBundleController } from './bundle/bundle.controller';
import { BundleInteractions } from './bundle/bundle-interactions';
import { EntryAccess } from './bundle/entry-access';
import { FhirBundleService } from './bundle/fhir-bundle.service';
import { FhirTransactionService } from './bundle/fhir-transaction.service';
import { TransactionJournalRepository } from './bundle/transaction-journal.repository';
import { TransactionJournalDocument, TransactionJournalSchema } from './bundle/transaction-journal.schema';
import { TransactionRecoveryService } from './bundle/transaction-recovery.service';
import { TransactionRollback } from './bundle/transaction-rollback';
import { FhirAuditEventController } from './audit-event/audit-event.controller';
import { FhirBinaryController } from './document-reference/binary.controller';
import { FhirDocumentReferenceController } from './document-reference/document-reference.controller';
import { FhirDeviceController } from './device/device.controller';
import { DeviceResourceService } from './device/device-resource.service';
import { FHIR_BASE } from './capabilities';
import { FhirEncounterController } from './encounter/encounter.controller';
import { EncounterResourceService } from './encounter/encounter-resource.service';
import { FhirFallbackController } from './fallback.controller';
import { SearchByPostMiddleware } from './http/search-by-post.middleware';
import { FhirMedicationStatementController } from './medication-statement/medication-statement.controller';
import { FhirMetadataController } from './metadata.controller';
import { FhirObservationController } from './observation/observation.controller';
import { ObservationResourceService } from './observation/observation-resource.service';
import { FhirPatientController } from './patient/patient.controller';
import { PatientResourceService } from './patient/patient-resource.service';
import { SmartConfigurationController, SmartConfigurationService } from './smart-configuration';
import { ResourceValidationService } from './validate/resource-validation.service';

/** The FHIR R4 face at /fhir/R4, over the records of the patients lib. */
@Module({
  imports: [
    PatientsModule,
    DocumentsModule,
    PatientReportedModule,
    AuditModule,
    MongooseModule.forFeature([{ name: TransactionJournalDocument.name, schema: TransactionJournalSchema }]),
  ],
  // The fallback last: Nest matches routes in registration order.
  controllers: [
    FhirMetadataController,
    SmartConfigurationController,
    FhirPatientController,
    FhirObservationController,
    FhirDeviceController,
    FhirEncounterController,
    FhirAuditEventController,
    FhirDocumentReferenceController,
    FhirBinaryController,
    FhirMedicationStatementController,
    FhirBundleController,
    FhirFallbackController,
  ],
  providers: [
    PatientResourceService,
    ObservationResourceService,
    DeviceResourceService,
    EncounterResourceService,
    SmartConfigurationService,
    ResourceValidationService,
    FhirBundleService,
    FhirTransactionService,
    BundleInteractions,
    EntryAccess,
    TransactionJournalRepository,
    TransactionRollback,
    TransactionRecoveryService,
  ],
  exports: [
    ObservationResourceService,
    DeviceResourceService,
    EncounterResourceService,
    PatientResourceService,
    TransactionRecoveryService,
  ],
})
export class FhirModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(SearchByPostMiddleware)
      .forRoutes({ path: `${FHIR_BASE}/:type/_search`, method: RequestMethod.POST });
  }
}
