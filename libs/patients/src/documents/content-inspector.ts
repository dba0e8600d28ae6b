import { createHash } from 'node:crypto';
import { Transform, TransformCallback } from 'node:stream';
import { ALLOWED_CONTENT_TYPES, DocumentContentType, SNIFF_BYTES, sniffContentType } from './content-type';
import { DocumentTooLargeError, UnsupportedDocumentTypeError } from './documents.errors';

/**
 * Passes a document's content through while checking it: its leading bytes must show an allowed type that
 * agrees with the declared one (or the declared one is the generic `application/octet-stream`), and it must
 * not exceed `maxBytes`. Either failure errors the stream before anything downstream can be committed.
 * Meanwhile it counts and hashes what passes.
 */
export class ContentInspector extends Transform {
  private readonly hash = createHash('sha256');
  private head: Buffer[] = [];
  private headLength = 0;
  private detected?: DocumentContentType;
  size = 0;

  constructor(
    private readonly declared: string,
    private readonly maxBytes: number,
  ) {
    super();
  }

  get contentType(): DocumentContentType | undefined {
    return this.detected;
  }

  get sha256(): string {
    return this.hash.digest('hex');
  }

  override _transform(chunk: Buffer, _: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(new DocumentTooLargeError(this.maxBytes));
    this.hash.update(chunk);
    if (this.detected) return done(null, chunk);
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength < SNIFF_BYTES) return done();
    this.release(done);
  }

  override _flush(done: TransformCallback): void {
    if (this.detected) return done();
    this.release(done);
  }

  private release(done: TransformCallback): void {
    const head = Buffer.concat(this.head);
    this.head = [];
    const detected = sniffContentType(head);
    if (!detected) return done(new UnsupportedDocumentTypeError(unsupportedMessage()));
    if (this.declared !== detected && this.declared !== 'application/octet-stream')
      return done(new UnsupportedDocumentTypeError('The content does not match its declared type.'));
    this.detected = detected;
    done(null, head);
  }
}

function unsupportedMessage(): string {
  return `The content is not one of the accepted types: ${ALLOWED_CONTENT_TYPES.join(', ')}.`;
}
