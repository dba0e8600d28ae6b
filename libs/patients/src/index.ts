export { PatientsModule } from './patients.module';
export { DocumentsModule } from './documents/documents.module';
export { DocumentsSweeperService } from './documents/documents-sweeper.service';
export { DocumentsService } from './documents/documents.service';
export { DocumentResponseDto } from './documents/dto/document.dto';
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
export { TestResultsService } from './test-results.service';
export type { ObservationSearch } from './test-results.service';
export { TestResultsByIdentifierService } from './test-results-by-identifier.service';
export type { EffectiveCondition, InstantBounds } from './test-results.repository';
export { dateRange, tokenOf } from './test-results.keys';
export type { DateRange, ObservationContent } from './test-results.keys';
export { DevicesService } from './devices/devices.service';
export type { DeviceSearch } from './devices/devices.service';
export { identifierSearchKey } from './devices/device.keys';
export type { DeviceContent, DeviceRecord } from './devices/device.keys';
export * from './devices/devices.errors';
export { PatientAccessService } from './patient-access.service';
export { AuditRecoveryService } from './audit-recovery.service';
export { NHS_NUMBER_SYSTEM, isValidNhsNumber } from './nhs-number';
export * from './dto/patient.dto';
export * from './dto/test-result.dto';
export * from './patients.errors';
export * from './test-results.errors';
export { validateDto } from './validate-dto';
