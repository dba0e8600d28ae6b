export { PatientsModule } from './patients.module';
export { PatientsService } from './patients.service';
export { TestResultsService } from './test-results.service';
export { PatientAccessService } from './patient-access.service';
export { AuditRecoveryService } from './audit-recovery.service';
export { NHS_NUMBER_SYSTEM, isValidNhsNumber } from './nhs-number';
export * from './dto/patient.dto';
export * from './dto/test-result.dto';
export * from './patients.errors';
