import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDate,
  IsIn,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  Matches,
  Max,
  MaxLength,
} from 'class-validator';
import { PageQueryDto, NestedObject } from '@hdp/platform';

export const SNOMED = 'http://snomed.info/sct';
export const DMD = 'https://dmd.nhs.uk';
export const MEDICATION_SYSTEMS = [SNOMED, DMD] as const;
/** UCUM units of a dose: mass, volume, international units, and countable forms. */
export const DOSE_UNITS = ['mg', 'g', 'ug', 'mL', '[iU]', '{tablet}', '{capsule}', '{puff}', '{drop}'];

export class MedicationCodingDto {
  @ApiProperty({ enum: MEDICATION_SYSTEMS, example: DMD }) @IsIn(MEDICATION_SYSTEMS) system!: string;
  @ApiProperty({ example: '39720311000001101', description: 'SNOMED CT / dm+d concept id' })
  @Matches(/^\d{6,18}$/, { message: 'code must be a SNOMED CT or dm+d concept id' })
  code!: string;
  @ApiPropertyOptional({ example: 'Metformin 500mg tablets' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  display?: string;
}

export class DoseQuantityDto {
  @ApiProperty({ example: 1 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @IsPositive()
  @Max(100_000)
  value!: number;

  @ApiProperty({ enum: DOSE_UNITS, example: '{tablet}' }) @IsIn(DOSE_UNITS) unit!: string;
}

/** A dose the patient took: which medication, how much, when. */
export class MedicationDoseCreateDto {
  @ApiProperty({ type: MedicationCodingDto })
  @NestedObject(MedicationCodingDto)
  medication!: MedicationCodingDto;

  @ApiProperty({ type: DoseQuantityDto })
  @NestedObject(DoseQuantityDto)
  dose!: DoseQuantityDto;

  @ApiProperty({ example: '2026-03-09T08:00:00Z', description: 'When it was taken (not in the future)' })
  @IsISO8601({ strict: true })
  takenAt!: string;
}

export class MedicationDoseResponseDto extends MedicationDoseCreateDto {
  @ApiProperty() id!: string;
  @ApiProperty() patientId!: string;
  @ApiProperty({ example: 'Patient/6f1c...', description: 'Provenance: who reported it' })
  reportedBy!: string;
  @ApiProperty() version!: number;
  @ApiProperty() createdAt!: string;
}

/** `GET .../patient-reported/medication-doses`: newest first. */
export class MedicationDoseListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Taken at or after', example: '2026-03-01T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ description: 'Taken before', example: '2026-04-01T00:00:00Z' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}

export class MedicationDosePageDto {
  @ApiProperty({ type: [MedicationDoseResponseDto] }) items!: MedicationDoseResponseDto[];
  @ApiPropertyOptional() next?: string;
}
