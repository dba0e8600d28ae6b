export { PatientsModule } from './patients.module';
export { DocumentsModule } from './documents/documents.module';
export { DocumentsSweeperService } from './documents/documents-sweeper.service';
export { DocumentsService } from './documents/documents.service';
export { DocumentResponseDto } from './documents/dto/document.dto';
export { PatientReportedModule } from './patient-reported/patient-reported.module';
export { MeasurementsService } from './patient-reported/measurements.service';
export { MedicationDosesService } from './patient-reported/medication-doses.service';
export type { ReportedSearch } from './patient-reported/patient-reported-records.service';
export type { ReportedResource } from './patient-reported/patient-reported.mapper';
export { PATIENT_REPORTED_TAG, OBSERVATION_CATEGORY } from './patient-reported/patient-reported.mapper';
export { LOINC } from './patient-reported/measurement-catalogue';
export * from './patient-reported/dto/medication-dose.dto';
export * from './patient-reported/dto/measurement.dto';
export * from './patient-reported/dto/summary.dto';
export * from './patient-reported/patient-reported.errors';
export { RemindersModule } from './reminders/reminders.module';
export { RemindersService } from './reminders/reminders.service';
export { NotificationPreferencesService } from './reminders/preferences/notification-preferences.service';
export { ReminderSchedulerService } from './reminders/scheduling/reminder-scheduler.service';
export { reminderLaneOf } from './reminders/reminder.schema';
export * from './reminders/dto/reminder.dto';
export * from './reminders/dto/notification-preferences.dto';
export type {
  NotificationMessage,
  NotificationSender,
  Recipient,
} from './reminders/senders/notification-sender';
export { PatientsService } from './patients.service';
export type { PatientChange, PatientRecordPage } from './patients.service';
export type { PatientCriteria, PatientElement, PatientSortKey, RangeCondition } from './patients.repository';
export type { SortOrder } from './sort-order';
export { normaliseForSearch } from './normalise';
export { TestResultsService } from './test-results.service';
export type { ObservationSearch } from './test-results.service';
export { TestResultsByIdentifierService } from './test-results-by-identifier.service';
export type {
  EffectiveCondition,
  InstantBounds,
  QuantityCondition,
  ResultSortKey,
} from './test-results.repository';
export { dateRange, effectiveRange, tokenOf } from './test-results.keys';
export type { DateRange, ObservationContent } from './test-results.keys';
export { DevicesService } from './devices/devices.service';
export type { DeviceSearch } from './devices/devices.service';
export { identifierSearchKey } from './devices/device.keys';
export type { DeviceContent, DeviceRecord } from './devices/device.keys';
export * from './devices/devices.errors';
export { EncountersService } from './encounters/encounters.service';
export type { EncounterSearch } from './encounters/encounters.service';
export type { EncounterContent, EncounterRecord } from './encounters/encounter.keys';
export * from './encounters/encounters.errors';
export { PatientAccessService } from './patient-access.service';
export { AuditRecoveryService } from './audit-recovery.service';
export { NHS_NUMBER_SYSTEM, isValidNhsNumber } from './nhs-number';
export * from './dto/patient.dto';
export * from './dto/test-result.dto';
export * from './patients.errors';
export * from './test-results.errors';
export { validateDto } from './validate-dto';
export { PatientHistoryService, TestResultHistoryService } from './versions/record-history.services';
export type { HistoryPage, HistoryPageQuery, RecordVersion } from './versions/record-history';
