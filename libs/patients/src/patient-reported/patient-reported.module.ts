import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditModule } from '@hdp/audit';
import { PatientsModule } from '../patients.module';
import { MeasurementsController } from './measurements.controller';
import { MeasurementsService } from './measurements.service';
import { MedicationDosesController } from './medication-doses.controller';
import { MedicationDosesService } from './medication-doses.service';
import { PatientReportedRecordsService } from './patient-reported-records.service';
import { PatientReportedRepository } from './patient-reported.repository';
import { PatientReportedRecord, PatientReportedSchema } from './patient-reported.schema';
import { SummaryService } from './summary.service';

/** What patients record about themselves (measurements, doses taken) and the summaries over it. */
@Module({
  imports: [
    AuditModule,
    PatientsModule,
    MongooseModule.forFeature([{ name: PatientReportedRecord.name, schema: PatientReportedSchema }]),
  ],
  controllers: [MeasurementsController, MedicationDosesController],
  providers: [
    PatientReportedRepository,
    PatientReportedRecordsService,
    MeasurementsService,
    MedicationDosesService,
    SummaryService,
  ],
  exports: [MeasurementsService, MedicationDosesService],
})
export class PatientReportedModule {}
