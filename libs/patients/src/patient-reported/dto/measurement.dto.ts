import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsISO8601, IsNumber, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { OptionalNestedArray, PageQueryDto } from '@hdp/platform';

export const LOINC_CODE = /^\d{1,7}-\d$/;
const LOINC_MESSAGE = { message: 'code must be a LOINC code such as 29463-7' };

export class MeasurementComponentDto {
  @ApiProperty({ example: '8480-6' }) @Matches(LOINC_CODE, LOINC_MESSAGE) code!: string;
  @ApiProperty({ example: 128 }) @IsNumber({ allowNaN: false, allowInfinity: false }) value!: number;
  @ApiProperty({ example: 'mm[Hg]', description: 'UCUM' }) @IsString() @MaxLength(32) unit!: string;
}

/**
 * A measurement a patient records: body weight 29463-7 (kg), blood glucose 15074-8 (mmol/L) or 2339-0
 * (mg/dL), steps 55423-8 ({steps}) with `value` and `unit`; blood pressure 85354-9 with `components`
 * systolic 8480-6 and diastolic 8462-4 (mm[Hg]).
 */
export class MeasurementCreateDto {
  @ApiProperty({ example: '29463-7', description: 'LOINC code of what was measured' })
  @Matches(LOINC_CODE, LOINC_MESSAGE)
  code!: string;

  @ApiPropertyOptional({ example: 72.5 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  value?: number;

  @ApiPropertyOptional({ example: 'kg', description: 'UCUM unit' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  unit?: string;

  @OptionalNestedArray(MeasurementComponentDto, 2)
  components?: MeasurementComponentDto[];

  @ApiProperty({ example: '2026-03-09T07:30:00Z', description: 'When it was measured (not in the future)' })
  @IsISO8601({ strict: true })
  effectiveDateTime!: string;
}

export class MeasurementComponentResponseDto extends MeasurementComponentDto {
  @ApiProperty({ example: 'Systolic blood pressure' }) display!: string;
}

export class MeasurementResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() patientId!: string;
  @ApiProperty({ example: '29463-7' }) code!: string;
  @ApiProperty({ example: 'Body weight' }) display!: string;
  @ApiPropertyOptional({ example: 72.5 }) value?: number;
  @ApiPropertyOptional({ example: 'kg' }) unit?: string;
  @ApiPropertyOptional({ type: [MeasurementComponentResponseDto] })
  components?: MeasurementComponentResponseDto[];
  @ApiProperty() effectiveDateTime!: string;
  @ApiProperty({ example: 'survey', description: 'Observation category: always patient-reported survey' })
  category!: 'survey';
  @ApiProperty({ example: 'Patient/6f1c...', description: 'Provenance: who reported it' })
  reportedBy!: string;
  @ApiProperty() version!: number;
  @ApiProperty() createdAt!: string;
}

/** `GET .../patient-reported/observations`: newest first, by code and effective time. */
export class MeasurementListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '29463-7' })
  @IsOptional()
  @Matches(LOINC_CODE, LOINC_MESSAGE)
  code?: string;

  @ApiPropertyOptional({ description: 'Measured at or after', example: '2026-03-01T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ description: 'Measured before', example: '2026-04-01T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}

export class MeasurementPageDto {
  @ApiProperty({ type: [MeasurementResponseDto] }) items!: MeasurementResponseDto[];
  @ApiPropertyOptional() next?: string;
}
