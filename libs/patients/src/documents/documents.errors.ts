import { DomainError, ErrorKind } from '@hdp/platform';

export class DocumentNotFoundError extends DomainError {
  readonly kind = ErrorKind.NotFound;

  constructor() {
    super('No such document.');
  }
}

export class DocumentTooLargeError extends DomainError {
  readonly kind = ErrorKind.TooLarge;

  constructor(maxBytes: number) {
    super(`The document is larger than the ${maxBytes} bytes allowed.`);
  }
}

export class UnsupportedDocumentTypeError extends DomainError {
  readonly kind = ErrorKind.UnsupportedMediaType;
}

export class UploadExpiredError extends DomainError {
  readonly kind = ErrorKind.Conflict;

  constructor() {
    super('The upload took longer than the server allows; nothing was stored. Try again.');
  }
}

export class DocumentStorageUnavailableError extends DomainError {
  readonly kind = ErrorKind.Unavailable;

  constructor() {
    super('Document storage is not configured on this server.');
  }
}
