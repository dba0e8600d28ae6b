import { InvalidInputError } from '@hdp/platform';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';

/**
 * Validates a body the global ValidationPipe could not see (a merge-patched document) with the same rules:
 * unknown fields rejected, issues named by path, never by value.
 */
export async function validateDto<T extends object>(type: new () => T, plain: unknown): Promise<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw new InvalidInputError('The request body must be a JSON object.');
  }
  const instance = plainToInstance(type, plain);
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0)
    throw new InvalidInputError(
      'The request is invalid.',
      errors.flatMap((e) => issues(e)),
    );
  return instance;
}

function issues(error: ValidationError, parent = ''): { path: string; message: string }[] {
  const path = parent ? `${parent}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
  return [...own, ...(error.children ?? []).flatMap((child) => issues(child, path))];
}
