import { applyDecorators, Type as ClassType } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';

/**
 * One nested DTO, validated as `type`. `IsObject` refuses an array in its place, which `ValidateNested`
 * alone would validate element by element and let through.
 */
export const NestedObject = (type: ClassType) =>
  applyDecorators(
    IsObject(),
    ValidateNested(),
    Type(() => type),
  );
