import { HttpStatus, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { fhirBodyParserError } from './fhir-exception.filter';

const FORM = 'application/x-www-form-urlencoded';
const MAX_FORM_BYTES = 16 * 1024;

/**
 * `POST /fhir/R4/{type}/_search` with a form body: the form's parameters join the URL's and the request
 * goes on as the `GET /fhir/R4/{type}` search, so it meets the same route, scopes, validation and ledger.
 * Only a form body is taken (415 otherwise), up to 16 KiB (413).
 */
@Injectable()
export class SearchByPostMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    if (!req.is(FORM)) {
      fhirBodyParserError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, `A search by POST takes an ${FORM} body.`, res);
      return;
    }
    readForm(req)
      .then((form) => {
        const url = new URL(req.originalUrl, 'http://local');
        for (const [name, value] of new URLSearchParams(form)) url.searchParams.append(name, value);
        req.method = 'GET';
        req.url = `${url.pathname.replace(/\/_search$/, '')}${url.search}`;
        next();
      })
      .catch(() =>
        fhirBodyParserError(HttpStatus.PAYLOAD_TOO_LARGE, 'The search form is larger than 16 KiB.', res),
      );
  }
}

function readForm(req: Request): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new Error('too large'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
