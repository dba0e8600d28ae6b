import type { Request } from 'express';
import { DomainError, ErrorKind, InvalidInputError } from '@hdp/platform';

export const NDJSON = 'application/x-ndjson';

export class IntakeTooLargeError extends DomainError {
  readonly kind = ErrorKind.TooLarge;
}

export class IntakeMediaTypeError extends DomainError {
  readonly kind = ErrorKind.UnsupportedMediaType;
}

/** A gateway's batch as sent: a JSON array (already parsed by the app's JSON parser) or NDJSON text. */
export type IntakeBody =
  { readonly kind: 'json'; readonly value: unknown } | { readonly kind: 'ndjson'; readonly text: string };

/** Reads the request's batch; NDJSON is read here, up to `limitBytes` (413 beyond, without reading on). */
export async function readIntakeBody(req: Request, limitBytes: number): Promise<IntakeBody> {
  if (req.is('application/json')) return { kind: 'json', value: req.body as unknown };
  if (!req.is(NDJSON)) throw new IntakeMediaTypeError(`Send application/json or ${NDJSON}.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      req.destroy();
      throw new IntakeTooLargeError('The request body is larger than this endpoint accepts.');
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.includes('\uFFFD')) throw new InvalidInputError('The request body is not valid UTF-8.');
  return { kind: 'ndjson', text };
}

/** `1mb`, `100kb`, `512b` (the BODY_LIMIT format) in bytes. */
export function parseByteSize(value: string): number {
  const match = /^(\d+)(b|kb|mb)$/i.exec(value);
  if (!match) throw new Error('Invalid byte size');
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[match[2].toLowerCase() as 'b' | 'kb' | 'mb'];
  return Number(match[1]) * unit;
}
