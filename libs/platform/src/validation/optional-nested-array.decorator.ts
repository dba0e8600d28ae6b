import { applyDecorators, Type as ClassType } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, ValidateNested } from 'class-validator';

/** An optional array of at most `maxSize` nested DTOs, each validated as `type`. */
export const OptionalNestedArray = (type: ClassType, maxSize: number) =>
  applyDecorators(
    ApiPropertyOptional({ type: [type] }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(maxSize),
    ValidateNested({ each: true }),
    Type(() => type),
  );
