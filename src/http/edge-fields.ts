import { z } from '@hono/zod-openapi';
import { FIRST_YEAR, isInstant, isIsoDate, LAST_YEAR, readInstant, readWallTime } from '../domain/calendar-text.ts';
import { EMAIL_MAX_LENGTH, isEmailAddress, isPhoneNumber } from '../domain/contact.ts';
import { DomainError } from '../domain/errors.ts';

// The values people and programs type, one schema each for the JSON API (and its OpenAPI document),
// the citizen pages and the staff pages. Dates and times are read by Temporal (domain/calendar-text),
// so '2026-02-30', 'T25:00', '10:61' or '+25:00' are a 422 naming the field, never a RangeError deep
// inside a use case; an email address is exactly one mailbox (domain/contact).

const years = `${FIRST_YEAR}–${LAST_YEAR}`;

/** An office-local calendar date. */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'YYYY-MM-DD', abort: true })
  .refine(isIsoDate, `a date that exists, in the years ${years}`)
  .openapi({ format: 'date', example: '2026-12-03' });

/** An instant: date and time with its UTC offset. */
export const IsoDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: 'ISO 8601 date-time with offset, e.g. 2026-12-03T09:40:00+01:00',
    abort: true,
  })
  .refine(isInstant, `a date and time that exist, with an offset below 24:00, in the years ${years}`)
  .openapi({ format: 'date-time', example: '2026-12-03T09:40:00+01:00' });

const WALL_TIME_SHAPE = /^\d{2}:\d{2}$/;

/** Office-local wall time 00:00–23:59. */
export const WallTime = z
  .string()
  .regex(WALL_TIME_SHAPE, { message: 'HH:MM', abort: true })
  .refine((v) => readWallTime(v) !== null, 'a time of day 00:00–23:59')
  .openapi({ example: '08:00' });

/** The end of an office-local time range: 00:00–23:59, or 24:00 for midnight at the end of the day. */
export const WallTimeEnd = z
  .string()
  .regex(WALL_TIME_SHAPE, { message: 'HH:MM', abort: true })
  .refine((v) => readWallTime(v, { endOfDay: true }) !== null, 'a time of day 00:00–24:00')
  .openapi({ example: '18:00' });

/** One mailbox. Surrounding spaces are dropped; lists, display names and line breaks are refused. */
export const Email = z
  .string()
  .trim()
  .max(EMAIL_MAX_LENGTH)
  .refine(isEmailAddress, 'one email address, e.g. erika@example.org')
  .openapi({ format: 'email', example: 'erika@example.org' });

export const Phone = z
  .string()
  .trim()
  .refine(isPhoneNumber, 'a phone number with digits, spaces, + ( ) / -')
  .openapi({ example: '0201 123456' });

/**
 * Epoch ms of a value that passed IsoDateTime. A value that did not (a route that forgot the
 * schema) is still a validation error, never a RangeError.
 */
export function epochMs(iso: string, path = 'start'): number {
  const ms = readInstant(iso);
  if (ms === null)
    throw new DomainError('validation_failed', `not an instant: ${path}`, {
      fields: [{ path, message: 'ISO 8601 date-time with offset' }],
    });
  return ms;
}
