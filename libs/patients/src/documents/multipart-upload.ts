import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { InvalidInputError } from '@hdp/platform';
import { DocumentTooLargeError, UnsupportedDocumentTypeError } from './documents.errors';

/** Room for the metadata fields and part headers around the content. */
const ENVELOPE_BYTES = 64 * 1024;
const MAX_FIELDS = 8;
const MAX_FIELD_BYTES = 1024;

export interface MultipartUpload {
  /** The metadata fields, all of which must come before the content part. */
  readonly fields: Readonly<Record<string, string>>;
  readonly content: Readable;
  readonly declaredType: string;
  /** Settles when the whole body has been read: rejects if anything followed the content part. */
  readonly finished: Promise<void>;
  /** Why the body was refused while the content streamed (a field after it, a disconnect), if it was. */
  failure(): Error | undefined;
}

/**
 * Streams a `multipart/form-data` upload: metadata fields first, then one file part named `content`, which is
 * handed on as a stream as soon as it starts (never buffered whole). A client that disconnects mid-body errors
 * the content stream, so whatever consumes it gives up and commits nothing.
 */
export function readMultipartUpload(req: IncomingMessage, maxBytes: number): Promise<MultipartUpload> {
  if (!/^multipart\/form-data\b/i.test(req.headers['content-type'] ?? ''))
    throw new UnsupportedDocumentTypeError('Upload the document as multipart/form-data.');
  if (Number(req.headers['content-length'] ?? 0) > maxBytes + ENVELOPE_BYTES)
    throw new DocumentTooLargeError(maxBytes);

  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let content: Readable | undefined;
    let failure: Error | undefined;
    let settleFinished: { resolve: () => void; reject: (error: Error) => void } | undefined;
    const finished = new Promise<void>((ok, fail) => (settleFinished = { resolve: ok, reject: fail }));
    finished.catch(() => undefined);
    const fail = (error: Error) => {
      failure ??= error;
      if (content) content.destroy(failure);
      else reject(failure);
      settleFinished?.reject(failure);
    };

    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, fileSize: maxBytes },
      });
    } catch {
      throw new InvalidInputError('The multipart body is malformed.');
    }
    parser.on('field', (name, value, info) => {
      if (content) return fail(invalid('metadata fields must come before the content part'));
      if (info.valueTruncated) return fail(invalid(`field ${name.slice(0, 32)} is too long`));
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'content') {
        stream.resume();
        return fail(invalid('the file part must be named content'));
      }
      content = stream;
      // Errors are read from `failure()` and from whoever consumes the stream; never an unhandled event.
      stream.on('error', () => undefined);
      stream.on('limit', () => stream.destroy(new DocumentTooLargeError(maxBytes)));
      const declaredType = info.mimeType.toLowerCase();
      resolve({ fields, content: stream, declaredType, finished, failure: () => failure });
    });
    parser.on('filesLimit', () => fail(invalid('only one file part is accepted')));
    parser.on('fieldsLimit', () => fail(invalid(`at most ${MAX_FIELDS} fields are accepted`)));
    parser.on('error', () => fail(invalid('the multipart body is malformed or incomplete')));
    parser.on('close', () => {
      if (!content) fail(invalid('a file part named content is required'));
      else if (!failure) settleFinished?.resolve();
    });
    req.on('aborted', () => fail(invalid('the client disconnected before the body was complete')));
    req.pipe(parser);
  });
}

function invalid(message: string): InvalidInputError {
  return new InvalidInputError('The upload is invalid.', [{ path: 'body', message }]);
}
