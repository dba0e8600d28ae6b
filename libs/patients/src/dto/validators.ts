import { registerDecorator, ValidationOptions } from 'class-validator';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

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
