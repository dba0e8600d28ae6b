import { Module } from '@nestjs/common';
import { PatientsModule } from '@hdp/patients';
import { FhirFallbackController } from './fallback.controller';
import { FhirMetadataController } from './metadata.controller';
import { FhirPatientController } from './patient/patient.controller';
import { PatientResourceService } from './patient/patient-resource.service';

/** The FHIR R4 face at /fhir/R4, over the records of the patients lib. */
@Module({
  imports: [PatientsModule],
  // The fallback last: Nest matches routes in registration order.
  controllers: [FhirMetadataController, FhirPatientController, FhirFallbackController],
  providers: [PatientResourceService],
})
export class FhirModule {}
