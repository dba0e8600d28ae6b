import { createParamDecorator, ExecutionContext, UnsupportedMediaTypeException } from '@nestjs/common';
import type { Request } from 'express';

export const MERGE_PATCH_TYPE = 'application/merge-patch+json';

/** The body of a JSON merge patch request; any other content type is a 415. */
export const MergePatchBody = createParamDecorator((_data: unknown, context: ExecutionContext): unknown => {
  const req = context.switchToHttp().getRequest<Request>();
  if (!req.is(MERGE_PATCH_TYPE)) {
    throw new UnsupportedMediaTypeException(`PATCH takes a JSON merge patch (${MERGE_PATCH_TYPE}).`);
  }
  return req.body as unknown;
});
