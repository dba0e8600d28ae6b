import type { ObservationContent } from '../test-results.keys';
import { OptionalNestedArray, PageQueryDto, NestedObject } from '@hdp/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsIn,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';

export const RESULT_STATUSES = [
  'registered',
  'preliminary',
  'final',
  'amended',
  'corrected',
  'cancelled',
  'entered-in-error',
  'unknown',
] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

export class CodingDto {
  @ApiProperty({ example: 'http://loinc.org' }) @IsString() @MinLength(1) @MaxLength(256) system!: string;
  @ApiProperty({ example: '2339-0' }) @IsString() @MinLength(1) @MaxLength(64) code!: string;
  @ApiPropertyOptional({ example: 'Glucose [Mass/volume] in Blood' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  display?: string;
}

export class QuantityDto {
  @ApiProperty({ example: 5.4 }) @IsNumber({ allowNaN: false, allowInfinity: false }) value!: number;
  @ApiProperty({ example: 'mmol/L' }) @IsString() @MinLength(1) @MaxLength(64) unit!: string;
  @ApiProperty({ example: 'http://unitsofmeasure.org' }) @IsIn(['http://unitsofmeasure.org']) system!: string;
  @ApiPropertyOptional({ example: 'mmol/L' }) @IsOptional() @IsString() @MaxLength(64) code?: string;
}

export class ReferenceRangeDto {
  @ApiPropertyOptional({ type: QuantityDto })
  @IsOptional()
  @NestedObject(QuantityDto)
  low?: QuantityDto;

  @ApiPropertyOptional({ type: QuantityDto })
  @IsOptional()
  @NestedObject(QuantityDto)
  high?: QuantityDto;

  @ApiPropertyOptional({ example: '3.9-5.5 mmol/L' }) @IsOptional() @IsString() @MaxLength(256) text?: string;
}

/** A test result as a client writes it. Exactly one of valueQuantity, valueString, valueCoding. */
export class TestResultCreateDto {
  @ApiProperty({ type: CodingDto, description: 'What was measured (LOINC expected)' })
  @NestedObject(CodingDto)
  code!: CodingDto;

  @ApiPropertyOptional({ type: QuantityDto })
  @IsOptional()
  @NestedObject(QuantityDto)
  valueQuantity?: QuantityDto;

  @ApiPropertyOptional({ example: 'No growth after 48 hours' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  valueString?: string;

  @ApiPropertyOptional({ type: CodingDto })
  @IsOptional()
  @NestedObject(CodingDto)
  valueCoding?: CodingDto;

  @OptionalNestedArray(ReferenceRangeDto, 5)
  referenceRange?: ReferenceRangeDto[];

  @OptionalNestedArray(CodingDto, 5)
  interpretation?: CodingDto[];

  @ApiProperty({ enum: RESULT_STATUSES }) @IsIn(RESULT_STATUSES) status!: ResultStatus;

  @ApiProperty({ example: '2026-01-10T08:30:00Z' })
  @IsISO8601({ strict: true })
  effectiveDateTime!: string;

  @ApiPropertyOptional({ example: '2026-01-10T10:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  issued?: string;

  @ApiPropertyOptional({ example: ['practitioner-42'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsString({ each: true })
  @MaxLength(128, { each: true })
  performer?: string[];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class TestResultUpdateDto extends TestResultCreateDto {}

export class TestResultResponseDto extends TestResultCreateDto {
  @ApiProperty() id!: string;
  @ApiProperty() patientId!: string;
  @ApiProperty({ example: 1, description: 'Also the ETag' }) version!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class TestResultSearchDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'A code, or `system|code`', example: 'http://loinc.org|2339-0' })
  @IsOptional()
  @IsString()
  @MaxLength(330)
  code?: string;

  @ApiPropertyOptional({ enum: RESULT_STATUSES }) @IsOptional() @IsIn(RESULT_STATUSES) status?: ResultStatus;

  @ApiPropertyOptional({ description: 'Effective at or after', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ description: 'Effective before', example: '2026-02-01T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}

export class TestResultPageDto {
  @ApiProperty({ type: [TestResultResponseDto] }) items!: TestResultResponseDto[];
  @ApiPropertyOptional() next?: string;
}

/** A test result as the FHIR Observation it is, with its record's metadata (for the FHIR face). */
export interface TestResultObservation {
  readonly id: string;
  readonly patientId: string;
  readonly version: number;
  readonly updatedAt: string;
  readonly observation: ObservationContent;
}
