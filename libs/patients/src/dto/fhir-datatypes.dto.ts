import { applyDecorators, Type as ClassType } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { NestedObject, OptionalNestedArray } from '@hdp/platform';

/** FHIR R4 `dateTime`: a year, year-month, date, or date and time with seconds and a zone (the spec's regex). */
const DATE_TIME =
  /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/;
const URI = /^\S{1,1024}$/;

/** An optional nested DTO, validated as `type`. */
export const OptionalNested = (type: ClassType) =>
  applyDecorators(ApiPropertyOptional({ type }), IsOptional(), NestedObject(type));

const OptionalText = (max: number) => applyDecorators(IsOptional(), IsString(), MaxLength(max));
const OptionalUri = () =>
  applyDecorators(IsOptional(), IsString(), Matches(URI, { message: '$property must be a URI' }));

/** FHIR Period: when something applied. */
export class PeriodDto {
  @ApiPropertyOptional({ example: '2001-05-06' })
  @IsOptional()
  @Matches(DATE_TIME, { message: '$property must be a FHIR dateTime' })
  start?: string;

  @ApiPropertyOptional({ example: '2002' })
  @IsOptional()
  @Matches(DATE_TIME, { message: '$property must be a FHIR dateTime' })
  end?: string;
}

/** FHIR Coding: a code from a code system. */
export class CodingDto {
  @ApiPropertyOptional({ example: 'http://terminology.hl7.org/CodeSystem/v2-0203' })
  @OptionalUri()
  system?: string;
  @ApiPropertyOptional() @OptionalText(64) version?: string;
  @ApiPropertyOptional({ example: 'MR' }) @OptionalText(256) code?: string;
  @ApiPropertyOptional() @OptionalText(1024) display?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() userSelected?: boolean;
}

/** FHIR CodeableConcept: codings and/or text. */
export class CodeableConceptDto {
  @OptionalNestedArray(CodingDto, 10) coding?: CodingDto[];
  @ApiPropertyOptional() @OptionalText(1024) text?: string;
}

/** FHIR Reference, by literal reference and/or display (not resolved: kept as given). */
export class ReferenceDto {
  @ApiPropertyOptional({ example: 'Organization/1' }) @OptionalText(1024) reference?: string;
  @ApiPropertyOptional({ example: 'Organization' }) @OptionalUri() type?: string;
  @ApiPropertyOptional({ example: 'Acme Healthcare' }) @OptionalText(1024) display?: string;
}
