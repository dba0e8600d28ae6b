import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '@hdp/platform';
import { IsPastCalendarDate } from '../../dto/validators';
import { ALLOWED_CONTENT_TYPES } from '../content-type';

/** The metadata fields of an upload (multipart fields before the `content` file part). */
export class DocumentMetadataDto {
  @ApiProperty({ example: 'Discharge summary' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  title!: string;

  @ApiPropertyOptional({ description: 'LOINC document type code', example: '18842-5' })
  @IsOptional()
  @Matches(/^\d{1,7}-\d$/, { message: 'typeCode must be a LOINC code such as 18842-5' })
  typeCode?: string;

  @ApiPropertyOptional({
    description: 'When the document was written (not in the future)',
    example: '2026-11-02',
  })
  @IsOptional()
  @IsPastCalendarDate()
  date?: string;

  @ApiPropertyOptional({ example: 'Dr A. Example, Ward 7' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  author?: string;
}

export class DocumentResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() patientId!: string;
  @ApiProperty() title!: string;
  @ApiPropertyOptional() typeCode?: string;
  @ApiPropertyOptional() date?: string;
  @ApiPropertyOptional() author?: string;
  @ApiProperty({ enum: ALLOWED_CONTENT_TYPES }) contentType!: string;
  @ApiProperty({ description: 'Bytes' }) size!: number;
  @ApiProperty({ description: 'SHA-256 of the content, hex' }) sha256!: string;
  @ApiProperty() version!: number;
  @ApiProperty() createdAt!: string;
}

/** `GET .../documents`: newest first, cursor-paginated. */
export class DocumentListQueryDto extends PageQueryDto {}

export class DocumentPageDto {
  @ApiProperty({ type: [DocumentResponseDto] }) items!: DocumentResponseDto[];
  @ApiPropertyOptional() next?: string;
}
