import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsEnum, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { AuditAction } from '../audit-event';

const ID = /^[\w.:@-]{1,128}$/;

export class AuditEventSearchDto {
  @ApiPropertyOptional({ description: 'Entries about this patient id' })
  @IsOptional()
  @Matches(ID, { message: 'patient must be an id' })
  patient?: string;

  @ApiPropertyOptional({ description: 'Entries by this principal id', example: 'user-clinician-1' })
  @IsOptional()
  @Matches(ID, { message: 'actor must be a principal id' })
  actor?: string;

  @ApiPropertyOptional({ enum: AuditAction })
  @IsOptional()
  @IsEnum(AuditAction)
  action?: AuditAction;

  @ApiPropertyOptional({ description: 'From this instant (inclusive)', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ description: 'Before this instant (exclusive)', example: '2026-02-01T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `next` cursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export class AuditActorDto {
  @ApiProperty({ example: 'user-clinician-1' }) id!: string;
  @ApiProperty({ example: 'client-ward-app' }) clientId!: string;
  @ApiProperty({ example: ['clinician'] }) roles!: string[];
}

export class AuditEventResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 3 }) chain!: number;
  @ApiProperty({ example: 17 }) sequence!: number;
  @ApiProperty() timestamp!: string;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({ enum: AuditAction }) action!: string;
  @ApiProperty({ example: 'Patient' }) resourceType!: string;
  @ApiPropertyOptional() resourceId?: string;
  @ApiPropertyOptional() patientId?: string;
  @ApiProperty({ example: 200, description: 'The HTTP status the caller saw' }) outcome!: number;
  @ApiPropertyOptional({ description: 'Searches: how many records were returned' }) count?: number;
  @ApiProperty({ example: '10.0.0.7' }) clientAddress!: string;
  @ApiPropertyOptional() userAgent?: string;
  @ApiProperty({ description: 'The W3C trace id of the request' }) correlationId!: string;
  @ApiPropertyOptional() purposeOfUse?: string;
  @ApiPropertyOptional() breakGlassReason?: string;
  @ApiProperty({ example: 'k2026-01' }) keyId!: string;
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventResponseDto] }) items!: AuditEventResponseDto[];
  @ApiPropertyOptional({ description: 'Pass as `cursor` for the next page; absent on the last page' })
  next?: string;
}
