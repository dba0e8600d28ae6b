import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional } from 'class-validator';
import { FieldIssue } from '@hdp/platform';
import type { Observation } from 'fhir/r4';
import { Measurement } from '../normalization/measurement';

/** A sample device message and the templates to try it with (nothing is stored). */
export class DeviceTemplateTestDto {
  @ApiProperty({ description: 'One device message, as the device or IoT Hub sends it' })
  @IsObject()
  message!: object;

  @ApiProperty({ description: 'A device mapping document (CollectionContent), MedTech format' })
  @IsObject()
  deviceTemplate!: object;

  @ApiPropertyOptional({
    description: 'A FHIR mapping document (CollectionFhir); with it, the Observations too',
  })
  @IsOptional()
  @IsObject()
  fhirTemplate?: object;
}

/**
 * What the message becomes: its measurements, and (given a FHIR template) the Observations they produce and,
 * when there are any, warnings where the templates do not fit (a value no FHIR template takes, a type none maps).
 */
export interface DeviceTemplateTestResponseDto {
  readonly measurements: readonly Measurement[];
  readonly observations?: readonly Observation[];
  readonly warnings?: readonly FieldIssue[];
}
