import { NestedObject } from '@hdp/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { DAYS_OF_WEEK, DayOfWeek } from '../reminder-timing';
import { Channel, CHANNELS } from './notification-preferences.dto';
import { IsCalendarDate, LOCAL_DATE_TIME, TIME_OF_DAY } from './validators';

export const REMINDER_KINDS = ['medication', 'appointment'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export class MedicationScheduleDto {
  @ApiProperty({
    example: ['08:00', '20:00'],
    description: 'Local times of day (HH:mm), patient’s time zone',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(24)
  @ArrayUnique()
  @Matches(TIME_OF_DAY, { each: true, message: 'times must be times of day HH:mm' })
  times!: string[];

  @ApiPropertyOptional({ enum: DAYS_OF_WEEK, isArray: true, description: 'Default: every day' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(DAYS_OF_WEEK, { each: true })
  daysOfWeek?: DayOfWeek[];

  @ApiProperty({ example: '2026-11-23' }) @IsCalendarDate() startDate!: string;
  @ApiPropertyOptional({ example: '2027-05-23' }) @IsOptional() @IsCalendarDate() endDate?: string;
}

export class AppointmentDto {
  @ApiProperty({
    example: '2026-12-01T09:30',
    description: 'Local date-time (patient’s time zone), no offset',
  })
  @Matches(LOCAL_DATE_TIME, { message: 'at must be a local date-time YYYY-MM-DDTHH:mm' })
  at!: string;

  @ApiPropertyOptional({ example: 1440, default: 1440, description: 'How long before it to remind' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(20160)
  remindMinutesBefore?: number;
}

/** `POST`/`PUT .../reminders`: a medication schedule or an appointment; the channel defaults to the preferred one. */
export class ReminderDto {
  @ApiProperty({ enum: REMINDER_KINDS }) @IsIn(REMINDER_KINDS) kind!: ReminderKind;

  @ApiPropertyOptional({
    example: 'Metformin 500 mg',
    description: 'Named in messages only if the patient opted in (includeMedicationName)',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  medicationName?: string;

  @ApiPropertyOptional({
    type: MedicationScheduleDto,
    description: 'Required for medication, absent otherwise',
  })
  @IsOptional()
  @NestedObject(MedicationScheduleDto)
  schedule?: MedicationScheduleDto;

  @ApiPropertyOptional({ type: AppointmentDto, description: 'Required for appointment, absent otherwise' })
  @IsOptional()
  @NestedObject(AppointmentDto)
  appointment?: AppointmentDto;

  @ApiPropertyOptional({ enum: CHANNELS, description: 'Default: the preferences’ preferredChannel' })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;
}

export class ReminderResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() patientId!: string;
  @ApiProperty({ enum: REMINDER_KINDS }) kind!: ReminderKind;
  @ApiPropertyOptional() medicationName?: string;
  @ApiPropertyOptional({ type: MedicationScheduleDto }) schedule?: MedicationScheduleDto;
  @ApiPropertyOptional({ type: AppointmentDto }) appointment?: Required<AppointmentDto>;
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty({ description: 'False once it has no more occurrences' }) active!: boolean;
  @ApiPropertyOptional({ description: 'The next occurrence (UTC)' }) nextOccurrence?: string;
  @ApiPropertyOptional({
    description: 'When it will be sent: the occurrence, or the end of quiet hours when it falls inside them',
  })
  nextDueAt?: string;
  @ApiProperty() version!: number;
  @ApiProperty() createdAt!: string;
}

export class ReminderListDto {
  @ApiProperty({ type: [ReminderResponseDto] }) items!: ReminderResponseDto[];
}

export const DELIVERY_STATES = ['sending', 'retrying', 'sent', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export class DeliveryResponseDto {
  @ApiProperty({ description: 'The occurrence this delivery is for (UTC)' }) occurrence!: string;
  @ApiProperty({ description: 'When it became due (after quiet hours, if deferred)' }) dueAt!: string;
  @ApiProperty() deferredByQuietHours!: boolean;
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty({ enum: DELIVERY_STATES }) state!: DeliveryState;
  @ApiProperty() attempts!: number;
  @ApiPropertyOptional({ description: 'Why the last attempt failed (an error code, never message text)' })
  lastFailure?: string;
  @ApiPropertyOptional() nextAttemptAt?: string;
  @ApiPropertyOptional() sentAt?: string;
}

export class DeliveryListDto {
  @ApiProperty({ type: [DeliveryResponseDto] }) items!: DeliveryResponseDto[];
}
