import { NestedObject } from '@hdp/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IsTimeZone, TIME_OF_DAY } from './validators';

export const CHANNELS = ['email', 'sms', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];

export class EmailChannelDto {
  @ApiProperty({ example: 'patient@example.org' }) @IsEmail() @MaxLength(254) address!: string;
}

export class SmsChannelDto {
  @ApiProperty({ example: '+447700900123', description: 'E.164' })
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'phone must be an E.164 number such as +447700900123' })
  phone!: string;
}

export class PushChannelDto {
  @ApiProperty({ description: 'The device handle (FCM registration token or APNs device token)' })
  @IsString()
  @MinLength(8)
  @MaxLength(512)
  @Matches(/^[\w:.-]+$/, { message: 'handle must be a device token' })
  handle!: string;

  @ApiProperty({ enum: ['fcm', 'apns'] }) @IsIn(['fcm', 'apns']) platform!: 'fcm' | 'apns';
}

/** Where the patient may be reached; at least one channel. */
export class NotificationChannelsDto {
  @ApiPropertyOptional({ type: EmailChannelDto })
  @IsOptional()
  @NestedObject(EmailChannelDto)
  email?: EmailChannelDto;

  @ApiPropertyOptional({ type: SmsChannelDto })
  @IsOptional()
  @NestedObject(SmsChannelDto)
  sms?: SmsChannelDto;

  @ApiPropertyOptional({ type: PushChannelDto })
  @IsOptional()
  @NestedObject(PushChannelDto)
  push?: PushChannelDto;
}

export class QuietHoursDto {
  @ApiProperty({ example: '22:00', description: 'Local time (the preferences’ time zone) quiet hours begin' })
  @Matches(TIME_OF_DAY, { message: 'start must be a time of day HH:mm' })
  start!: string;

  @ApiProperty({ example: '07:00', description: 'Local time they end; before start means the next morning' })
  @Matches(TIME_OF_DAY, { message: 'end must be a time of day HH:mm' })
  end!: string;
}

/** `PUT .../notification-preferences`: the whole set, replaced. */
export class NotificationPreferencesDto {
  @ApiProperty({ example: 'Europe/London', description: 'IANA time zone of reminder times and quiet hours' })
  @IsTimeZone()
  timeZone!: string;

  @ApiProperty({ type: NotificationChannelsDto })
  @NestedObject(NotificationChannelsDto)
  channels!: NotificationChannelsDto;

  @ApiProperty({ enum: CHANNELS, description: 'Channel of reminders that name none; must be among channels' })
  @IsIn(CHANNELS)
  preferredChannel!: Channel;

  @ApiPropertyOptional({ type: QuietHoursDto })
  @IsOptional()
  @NestedObject(QuietHoursDto)
  quietHours?: QuietHoursDto;

  @ApiPropertyOptional({
    description: 'Opt-in: medication reminders name the medication (default: they say only "medication")',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  includeMedicationName?: boolean;
}

export class NotificationPreferencesResponseDto extends NotificationPreferencesDto {
  @ApiProperty() patientId!: string;
  @ApiProperty() declare includeMedicationName: boolean;
  @ApiProperty() version!: number;
  @ApiProperty() updatedAt!: string;
}
