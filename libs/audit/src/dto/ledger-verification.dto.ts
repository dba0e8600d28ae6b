import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The first thing wrong with one chain of the ledger. */
export class LedgerProblem {
  @ApiProperty({ example: 3, description: '-1 for a problem of no one chain (a chain id, a checkpoint)' })
  chain!: number;
  @ApiProperty({ example: 42, description: 'The position in the chain where the problem is' }) seq!: number;
  @ApiPropertyOptional({ example: '0b6f3c1e-5a0d-4a43-9d1f-8f7f3b9a2c11' }) entryId?: string;
  @ApiProperty({ enum: ['missing', 'order', 'content', 'signature'] })
  kind!: 'missing' | 'order' | 'content' | 'signature';
  @ApiProperty({ example: 'the entry was changed after it was written' }) detail!: string;
}

export class LedgerVerificationDto {
  @ApiProperty({ description: 'True when every chain verified from its first entry to its signed head' })
  valid!: boolean;
  @ApiProperty({ example: 16 }) chainsChecked!: number;
  @ApiProperty({ example: 1024 }) entriesChecked!: number;
  @ApiProperty({ type: [LedgerProblem] }) problems!: LedgerProblem[];
}
