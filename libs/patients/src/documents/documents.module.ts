import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditModule } from '@hdp/audit';
import { PatientsModule } from '../patients.module';
import { PatientDocumentRecord, PatientDocumentSchema } from './document.schema';
import { DocumentStorage } from './document-storage';
import { DocumentsController } from './documents.controller';
import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';
import { DocumentsSweeperService } from './documents-sweeper.service';

/** Patients' documents and images: metadata in the store, content in Azure Blob Storage. */
@Module({
  imports: [
    AuditModule,
    PatientsModule,
    MongooseModule.forFeature([{ name: PatientDocumentRecord.name, schema: PatientDocumentSchema }]),
  ],
  controllers: [DocumentsController],
  providers: [DocumentStorage, DocumentsRepository, DocumentsService, DocumentsSweeperService],
  exports: [DocumentsService, DocumentsSweeperService],
})
export class DocumentsModule {}
