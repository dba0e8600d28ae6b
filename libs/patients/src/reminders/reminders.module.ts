import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditModule } from '@hdp/audit';
import { PatientsModule } from '../patients.module';
import { NotificationPreferencesController } from './preferences/notification-preferences.controller';
import { NotificationPreferencesRepository } from './preferences/notification-preferences.repository';
import {
  NotificationPreferencesRecord,
  NotificationPreferencesSchema,
} from './preferences/notification-preferences.schema';
import { NotificationPreferencesService } from './preferences/notification-preferences.service';
import { ReminderRecord, ReminderSchema } from './reminder.schema';
import { RemindersController } from './reminders.controller';
import { RemindersRepository } from './reminders.repository';
import { RemindersService } from './reminders.service';
import { ReminderDeliveriesRepository } from './scheduling/reminder-deliveries.repository';
import {
  ReminderAttemptClaimRecord,
  ReminderAttemptClaimSchema,
  ReminderDeliveryRecord,
  ReminderDeliverySchema,
} from './scheduling/reminder-delivery.schema';
import { ReminderDispatcher } from './scheduling/reminder-dispatcher';
import { ReminderSchedulerService } from './scheduling/reminder-scheduler.service';
import { NotificationSenders } from './senders/notification-senders';

/** Patients' reminders and notification preferences, and the scheduler that sends them. */
@Module({
  imports: [
    AuditModule,
    PatientsModule,
    MongooseModule.forFeature([
      { name: NotificationPreferencesRecord.name, schema: NotificationPreferencesSchema },
      { name: ReminderRecord.name, schema: ReminderSchema },
      { name: ReminderDeliveryRecord.name, schema: ReminderDeliverySchema },
      { name: ReminderAttemptClaimRecord.name, schema: ReminderAttemptClaimSchema },
    ]),
  ],
  controllers: [NotificationPreferencesController, RemindersController],
  providers: [
    NotificationPreferencesRepository,
    NotificationPreferencesService,
    RemindersRepository,
    RemindersService,
    ReminderDeliveriesRepository,
    ReminderDispatcher,
    ReminderSchedulerService,
    NotificationSenders,
  ],
  exports: [RemindersService, NotificationPreferencesService, ReminderSchedulerService],
})
export class RemindersModule {}
