import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsISO8601, Matches } from 'class-validator';
import { BUCKET_KINDS, BucketKind } from '../bucket-keys';

/** `GET .../patient-reported/summary`: per code, per UTC day or ISO week of [from, to). */
export class SummaryQueryDto {
  @ApiProperty({
    example: '8480-6,8462-4',
    description:
      'LOINC codes, comma-separated (at most 4): 29463-7, 15074-8, 2339-0, 55423-8, 8480-6, 8462-4',
  })
  @Matches(/^\d{1,7}-\d(,\d{1,7}-\d){0,3}$/, { message: 'code must be 1 to 4 comma-separated LOINC codes' })
  code!: string;

  @ApiProperty({ example: '2026-03-01', description: 'Start, inclusive (a date is its UTC midnight)' })
  @IsISO8601({ strict: true })
  from!: string;

  @ApiProperty({ example: '2026-04-01', description: 'End, exclusive' })
  @IsISO8601({ strict: true })
  to!: string;

  @ApiProperty({ enum: BUCKET_KINDS }) @IsIn(BUCKET_KINDS) bucket!: BucketKind;
}

export class SummaryBucketDto {
  @ApiProperty({ example: '2026-W11', description: 'YYYY-MM-DD, or the ISO week YYYY-Www' }) key!: string;
  @ApiProperty({ example: '2026-03-09T00:00:00.000Z' }) start!: string;
  @ApiProperty({ example: '2026-03-16T00:00:00.000Z', description: 'Exclusive' }) end!: string;
  @ApiProperty() count!: number;
  @ApiProperty() min!: number;
  @ApiProperty() max!: number;
  @ApiProperty({ description: 'Rounded to 4 decimal places' }) mean!: number;
}

export class SummarySeriesDto {
  @ApiProperty({ example: '8480-6' }) code!: string;
  @ApiProperty({ example: 'mm[Hg]' }) unit!: string;
  @ApiProperty({ type: [SummaryBucketDto], description: 'Buckets with at least one value, in order' })
  buckets!: SummaryBucketDto[];
}

export class SummaryResponseDto {
  @ApiProperty() patientId!: string;
  @ApiProperty({ enum: BUCKET_KINDS }) bucket!: BucketKind;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [SummarySeriesDto] }) series!: SummarySeriesDto[];
}
