import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PHONE = /^\+?[0-9][0-9 ()-]{2,31}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(\.[^\s@.]+)+$/;

/** A calendar date `YYYY-MM-DD` that exists and is not in the future. */
export function IsPastCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isPastCalendarDate',
      target: target.constructor,
      propertyName: String(property),
      options: {
        message: `${String(property)} must be a real date (YYYY-MM-DD), not in the future`,
        ...options,
      },
      validator: {
        validate(value: unknown) {
          const match = typeof value === 'string' ? DATE.exec(value) : null;
          if (!match) return false;
          const date = new Date(`${value as string}T00:00:00Z`);
          return (
            date.getUTCMonth() + 1 === Number(match[2]) &&
            date.getUTCDate() === Number(match[3]) &&
            Number(match[1]) >= 1850 &&
            date.getTime() <= Date.now()
          );
        },
      },
    });
}

/** A telecom value valid for its sibling `system`: an e-mail address or a phone number. */
export function IsContactValue(options?: ValidationOptions): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isContactValue',
      target: target.constructor,
      propertyName: String(property),
      options: { message: `${String(property)} must be a valid phone number or e-mail address`, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          if (typeof value !== 'string') return false;
          const system = (args.object as { system?: unknown }).system;
          return system === 'email' ? EMAIL.test(value) : PHONE.test(value);
        },
      },
    });
}
