import type { HumanName, Patient } from 'fhir/r4';
import { OptionalNestedArray, PageQueryDto, NestedObject } from '@hdp/platform';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { CodeableConceptDto, OptionalNested, PeriodDto, ReferenceDto } from './fhir-datatypes.dto';
import { IsPastCalendarDate } from './validators';

export const GENDERS = ['male', 'female', 'other', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];
const SYSTEM_URI = /^(https?:\/\/|urn:)[\w.~:/?#@!$&'()*+,;=%-]+$/;

export const IDENTIFIER_USES = ['usual', 'official', 'temp', 'secondary', 'old'] as const;
export const NAME_USES = ['usual', 'official', 'temp', 'nickname', 'anonymous', 'old', 'maiden'] as const;
export const CONTACT_SYSTEMS = ['phone', 'fax', 'email', 'pager', 'url', 'sms', 'other'] as const;
export const CONTACT_USES = ['home', 'work', 'temp', 'old', 'mobile'] as const;
export const ADDRESS_USES = ['home', 'work', 'temp', 'old', 'billing'] as const;
export const ADDRESS_TYPES = ['postal', 'physical', 'both'] as const;

const OptionalCode = (codes: readonly string[]) =>
  applyDecorators(ApiPropertyOptional({ enum: codes }), IsOptional(), IsIn(codes));
const OptionalStrings = (maxItems: number, maxLength: number) =>
  applyDecorators(
    IsOptional(),
    IsArray(),
    ArrayMaxSize(maxItems),
    IsString({ each: true }),
    MinLength(1, { each: true }),
    MaxLength(maxLength, { each: true }),
  );

/** An identifier (FHIR Identifier): system and value are required here, they are how a patient is found. */
export class IdentifierDto {
  @OptionalCode(IDENTIFIER_USES) use?: (typeof IDENTIFIER_USES)[number];
  @OptionalNested(CodeableConceptDto) type?: CodeableConceptDto;

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

  @OptionalNested(PeriodDto) period?: PeriodDto;
  @OptionalNested(ReferenceDto) assigner?: ReferenceDto;
}

/** The patient's name (FHIR HumanName); a family name is required here, search relies on it. */
export class HumanNameDto {
  @OptionalCode(NAME_USES) use?: (typeof NAME_USES)[number];
  @ApiPropertyOptional({ example: 'Thorin Oakenshield' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  text?: string;

  @ApiProperty({ example: 'Oakenshield' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  family!: string;

  @ApiPropertyOptional({ example: ['Thorin'] }) @OptionalStrings(5, 100) given?: string[];
  @ApiPropertyOptional({ example: ['Mr'] }) @OptionalStrings(5, 20) prefix?: string[];
  @ApiPropertyOptional({ example: ['OBE'] }) @OptionalStrings(5, 20) suffix?: string[];
  @OptionalNested(PeriodDto) period?: PeriodDto;
}

/**
 * A phone number, e-mail address or other contact (FHIR ContactPoint). The value is free text, as in FHIR
 * (local formats such as `(03) 5555 6473` included): reminders use the numbers and addresses of the
 * notification preferences, never these. A value needs a system (FHIR invariant cpt-2).
 */
export class ContactPointDto {
  @ApiPropertyOptional({ enum: CONTACT_SYSTEMS })
  @ValidateIf((contact: ContactPointDto) => contact.system !== undefined || contact.value !== undefined)
  @IsIn(CONTACT_SYSTEMS, {
    message: `system must be one of ${CONTACT_SYSTEMS.join(', ')} (a value needs one)`,
  })
  system?: (typeof CONTACT_SYSTEMS)[number];

  @ApiPropertyOptional({ example: '+44 20 7946 0000' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  value?: string;

  @OptionalCode(CONTACT_USES) use?: (typeof CONTACT_USES)[number];
  @ApiPropertyOptional({ example: 1 }) @IsOptional() @IsInt() @Min(1) rank?: number;
  @OptionalNested(PeriodDto) period?: PeriodDto;
}

export class AddressDto {
  @OptionalCode(ADDRESS_USES) use?: (typeof ADDRESS_USES)[number];
  @OptionalCode(ADDRESS_TYPES) type?: (typeof ADDRESS_TYPES)[number];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) text?: string;
  @ApiPropertyOptional({ example: ['1 Bag End'] }) @OptionalStrings(4, 100) line?: string[];
  @ApiPropertyOptional({ example: 'Hobbiton' }) @IsOptional() @IsString() @MaxLength(100) city?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) district?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) state?: string;
  @ApiPropertyOptional({ example: 'HB1 1AA' }) @IsOptional() @IsString() @MaxLength(16) postalCode?: string;
  @ApiPropertyOptional({ example: 'GB' }) @IsOptional() @IsString() @MaxLength(64) country?: string;
  @OptionalNested(PeriodDto) period?: PeriodDto;
}

/** A patient as a client writes it (create and full replace). */
export class PatientCreateDto {
  @OptionalNestedArray(IdentifierDto, 10)
  identifier?: IdentifierDto[];

  @ApiProperty({ type: HumanNameDto })
  @NestedObject(HumanNameDto)
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

/**
 * The elements of a FHIR Patient the REST fields do not model (text, active, deceased[x], contact, extensions,
 * `_birthDate` ...), kept verbatim as the FHIR face received them, and the names beside the record's `name`
 * (`namesBefore`/`namesAfter`: the FHIR `name` list is `[...namesBefore, name, ...namesAfter]`).
 */
export type PatientFhirElements = Omit<
  Patient,
  'resourceType' | 'id' | 'identifier' | 'name' | 'telecom' | 'gender' | 'birthDate' | 'address'
> & { namesBefore?: HumanName[]; namesAfter?: HumanName[] };

/** A stored patient as the libs read it: the REST fields and, beside them, its FHIR-only elements. */
export interface PatientRecord extends PatientResponseDto {
  fhirElements?: PatientFhirElements;
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
