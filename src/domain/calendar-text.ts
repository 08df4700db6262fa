// Dates, times and instants written as text by someone outside: a query string, a form, a JSON
// body, a command line. One reading for all of them: the shape first (so Temporal never sees odd
// spellings it would accept, like '+002026-…' or a leap second), then Temporal, which knows that
// 30 February and 25:00 do not exist. Every function answers null instead of throwing, so no
// caller can forget the try/catch that once turned '2026-02-30' into a 500.
import { Temporal } from 'temporal-polyfill';

/**
 * The years an appointment, a closure or a statistics period can fall in. Nothing of Schalter
 * happened before 2000, and a year like 9999 in a request is a typo or a probe; the bound also
 * keeps every date range a request can ask for to a few decades.
 */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2099;

const DATE = /^(\d{4})-\d{2}-\d{2}$/;
const WALL_TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24:00))$/;
const LOCAL_DATE_TIME = /^(\d{4})-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d$/;
// Seconds 00–59 only: Temporal reads a leap second ':60' as ':59' rather than refusing it.
const INSTANT = /^(\d{4})-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

const inYearRange = (year: string | undefined) => year !== undefined && Number(year) >= FIRST_YEAR && Number(year) <= LAST_YEAR;

/** 'YYYY-MM-DD' that exists in the calendar and lies in the years above; else null. */
export function readIsoDate(text: string): Temporal.PlainDate | null {
  const match = DATE.exec(text);
  if (!match || !inYearRange(match[1])) return null;
  try {
    return Temporal.PlainDate.from(text, { overflow: 'reject' });
  } catch {
    return null;
  }
}

export const isIsoDate = (text: string): boolean => readIsoDate(text) !== null;

// Bookings name the same slot starts again and again; parsing an instant with Temporal costs ~9 µs.
const instants = new Map<string, number | null>();

/** Epoch ms of an ISO 8601 date-time with offset ('2026-12-03T09:40:00+01:00', '…Z'); else null. */
export function readInstant(text: string): number | null {
  const known = instants.get(text);
  if (known !== undefined) return known;
  const match = INSTANT.exec(text);
  let ms: number | null = null;
  if (match && inYearRange(match[1])) {
    try {
      ms = Temporal.Instant.from(text).epochMilliseconds;
    } catch {
      ms = null;
    }
  }
  if (instants.size >= 10_000) instants.clear();
  instants.set(text, ms);
  return ms;
}

export const isInstant = (text: string): boolean => readInstant(text) !== null;

/**
 * Office-local wall time 'HH:MM' (00:00–23:59) as minutes after midnight; null otherwise.
 * `endOfDay` also admits '24:00' (1440), the end of a range that runs to midnight.
 */
export function readWallTime(text: string, options: { endOfDay?: boolean } = {}): number | null {
  const match = WALL_TIME.exec(text);
  if (!match) return null;
  if (match[3] !== undefined) return options.endOfDay ? 24 * 60 : null;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** 'YYYY-MM-DDTHH:MM' (what a datetime-local field sends) as a wall-clock reading; else null. */
export function readLocalDateTime(text: string): Temporal.PlainDateTime | null {
  const match = LOCAL_DATE_TIME.exec(text);
  if (!match || !inYearRange(match[1])) return null;
  try {
    return Temporal.PlainDateTime.from(text, { overflow: 'reject' });
  } catch {
    return null;
  }
}

/**
 * Epoch ms of an office-local date and wall time; null when the text is no such time or the time
 * does not exist that day (the hour skipped when clocks go forward is refused, never guessed).
 */
export function readLocalInstant(text: string, timeZone: string): number | null {
  const local = readLocalDateTime(text);
  if (!local) return null;
  try {
    return local.toZonedDateTime(timeZone, { disambiguation: 'reject' }).epochMilliseconds;
  } catch {
    return null;
  }
}
