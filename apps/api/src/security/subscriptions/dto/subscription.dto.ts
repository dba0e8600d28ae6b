import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Min,
} from 'class-validator';
import type { KeySlot, QuotaTier } from '../subscription.schema';

export class SubscriptionCreateDto {
  @ApiProperty({ example: 'St Elsewhere lab system' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: ['standard', 'premium'] })
  @IsIn(['standard', 'premium'])
  tier!: QuotaTier;

  @ApiProperty({ example: ['system/Observation.write', 'system/Patient.rs'] })
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[\w/*.?=&|:-]{1,200}$/, { each: true })
  scopes!: string[];

  @ApiPropertyOptional({ description: 'Calls per rate-limit period, overriding the default' })
  @IsOptional()
  @IsInt()
  @Min(1)
  rateLimitCalls?: number;

  @ApiPropertyOptional({ description: 'Calls per quota period, overriding the tier' })
  @IsOptional()
  @IsInt()
  @Min(1)
  quotaCalls?: number;
}

export class SubscriptionResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['standard', 'premium'] }) tier!: QuotaTier;
  @ApiProperty() scopes!: string[];
  @ApiPropertyOptional() rateLimitCalls?: number;
  @ApiPropertyOptional() quotaCalls?: number;
  @ApiProperty({ description: 'Whether each slot holds a usable key' })
  keys!: Record<KeySlot, 'active' | 'revoked'>;
}

/** Returned once, at creation: the keys are never shown again. */
export class SubscriptionCreatedDto extends SubscriptionResponseDto {
  @ApiProperty() primaryKey!: string;
  @ApiProperty() secondaryKey!: string;
}

/** Returned once, at rotation. */
export class SubscriptionKeyDto {
  @ApiProperty() subscriptionId!: string;
  @ApiProperty({ enum: ['primary', 'secondary'] }) slot!: KeySlot;
  @ApiProperty() key!: string;
}
