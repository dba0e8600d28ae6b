import { registerDecorator, ValidationOptions } from 'class-validator';
import { DateTime } from 'luxon';
import { isTimeZone } from '../reminder-timing';

/** A local time of day, `HH:mm` (24 h). */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A local date-time to the minute, `YYYY-MM-DDTHH:mm`, without offset: the patient's time zone applies. */
export const LOCAL_DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d$/;

/** An IANA time zone name (`Europe/London`). */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName: String(property),
      options: { message: `${String(property)} must be an IANA time zone such as Europe/London`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isTimeZone(value) },
    });
}

/** A calendar date `YYYY-MM-DD` that exists. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: String(property),
      options: { message: `${String(property)} must be a real date (YYYY-MM-DD)`, ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid,
      },
    });
}
