import { OptionalNestedArray, PageQueryDto } from '@hdp/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsContactValue, IsPastCalendarDate } from './validators';

export const GENDERS = ['male', 'female', 'other', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];
const SYSTEM_URI = /^(https?:\/\/|urn:)[\w.~:/?#@!$&'()*+,;=%-]+$/;

export class IdentifierDto {
  @ApiProperty({ example: 'https://fhir.nhs.uk/Id/nhs-number' })
  @IsString()
  @MaxLength(256)
  @Matches(SYSTEM_URI, { message: 'system must be an http(s) or urn URI' })
  system!: string;

  @ApiProperty({ example: '9434765919', description: 'NHS numbers are checked with their modulus-11 digit' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  value!: string;
}

export class HumanNameDto {
  @ApiProperty({ example: 'Oakenshield' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  family!: string;

  @ApiPropertyOptional({ example: ['Thorin'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  given?: string[];

  @ApiPropertyOptional({ example: ['Mr'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsString({ each: true })
  @MaxLength(20, { each: true })
  prefix?: string[];
}

export class ContactPointDto {
  @ApiProperty({ enum: ['phone', 'email'] })
  @IsIn(['phone', 'email'])
  system!: 'phone' | 'email';

  @ApiProperty({ example: '+44 20 7946 0000' })
  @IsContactValue()
  value!: string;

  @ApiPropertyOptional({ enum: ['home', 'work', 'mobile'] })
  @IsOptional()
  @IsIn(['home', 'work', 'mobile'])
  use?: 'home' | 'work' | 'mobile';
}

export class AddressDto {
  @ApiPropertyOptional({ example: ['1 Bag End'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(4)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  line?: string[];

  @ApiPropertyOptional({ example: 'Hobbiton' }) @IsOptional() @IsString() @MaxLength(100) city?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) district?: string;
  @ApiPropertyOptional({ example: 'HB1 1AA' }) @IsOptional() @IsString() @MaxLength(16) postalCode?: string;
  @ApiPropertyOptional({ example: 'GB' }) @IsOptional() @IsString() @MaxLength(64) country?: string;
}

/** A patient as a client writes it (create and full replace). */
export class PatientCreateDto {
  @OptionalNestedArray(IdentifierDto, 10)
  identifier?: IdentifierDto[];

  @ApiProperty({ type: HumanNameDto })
  @ValidateNested()
  @Type(() => HumanNameDto)
  name!: HumanNameDto;

  @ApiProperty({ example: '1946-04-09' })
  @IsPastCalendarDate()
  birthDate!: string;

  @ApiProperty({ enum: GENDERS })
  @IsIn(GENDERS)
  gender!: Gender;

  @OptionalNestedArray(ContactPointDto, 10)
  telecom?: ContactPointDto[];

  @OptionalNestedArray(AddressDto, 5)
  address?: AddressDto[];
}

export class PatientUpdateDto extends PatientCreateDto {}

export class PatientResponseDto extends PatientCreateDto {
  @ApiProperty({ example: 'c0a8012e-6d1b-4c55-9a5e-3f1c2b7d9e10' }) id!: string;
  @ApiProperty({ example: 1, description: 'Also the ETag' }) version!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class PatientSearchDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: '`system|value`',
    example: 'https://fhir.nhs.uk/Id/nhs-number|9434765919',
  })
  @IsOptional()
  @IsString()
  @MaxLength(330)
  @Matches(/^[^|]+\|[^|]+$/, { message: 'identifier must be system|value' })
  identifier?: string;

  @ApiPropertyOptional({ description: 'Family name starts with (case and accents ignored)', example: 'oak' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  family?: string;

  @ApiPropertyOptional({ description: 'A given name starts with (case and accents ignored)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  given?: string;

  @ApiPropertyOptional({ example: '1946-04-09' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'birthDate must be YYYY-MM-DD' })
  birthDate?: string;

  @ApiPropertyOptional({ enum: GENDERS })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: Gender;
}

export class PatientPageDto {
  @ApiProperty({ type: [PatientResponseDto] }) items!: PatientResponseDto[];
  @ApiPropertyOptional({ description: 'Pass as `cursor` for the next page; absent on the last page' })
  next?: string;
}
