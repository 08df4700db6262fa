import { Temporal } from 'temporal-polyfill';

// Every slot in a search answer and every appointment view is written as ISO 8601 with the office's
// offset. Temporal's formatting is exact but costs tens of microseconds per call, which showed up
// as the largest single item in the release-storm profile. UTC offsets change only at instants that
// are whole multiples of 15 minutes, so the offset is fixed within each quarter hour: look it up
// once per zone and quarter hour, then format with integer arithmetic. A search answer writes 40
// of these, so the quarter hour also keeps its local date and hour as text, and the lookup goes by
// number in a map per zone rather than through a key string built for every call.
const QUARTER_HOUR = 15 * 60_000;
const MAX_QUARTERS_PER_ZONE = 100_000;

type Quarter = {
  offset: number;
  /** 'YYYY-MM-DDTHH:' of the quarter hour's first instant in local time; null for offsets off the 15-minute grid (local mean time before 1900). */
  head: string | null;
  /** Local minute of the quarter hour's first instant. */
  minute: number;
  /** '+01:00', as Temporal writes it */
  tail: string;
  /** 'YYYY-MM-DD', the local date of the whole quarter hour; null where head is null or the year has no four-digit form. */
  date: string | null;
};
const zones = new Map<string, Map<number, Quarter>>();

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => pad(n));

function quarterOf(timeZone: string, bucket: number): Quarter {
  let quarters = zones.get(timeZone);
  let quarter = quarters?.get(bucket);
  if (quarter === undefined) {
    // Temporal throws for an unknown zone before the zone gets a map of its own.
    const offset = Temporal.Instant.fromEpochMilliseconds(bucket).toZonedDateTimeISO(timeZone).offsetNanoseconds / 1e6;
    const local = new Date(bucket + offset);
    const year = local.getUTCFullYear();
    // Temporal writes the offset rounded to the minute (local mean time had seconds).
    const minutes = Math.abs(Math.round(offset / 60_000));
    const head =
      offset % QUARTER_HOUR === 0
        ? `${pad(year, 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:`
        : null;
    quarter = {
      offset,
      head,
      minute: local.getUTCMinutes(),
      tail: `${offset < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`,
      date: head !== null && year >= 0 && year <= 9999 ? head.slice(0, 10) : null,
    };
    if (!quarters) zones.set(timeZone, (quarters = new Map()));
    if (quarters.size >= MAX_QUARTERS_PER_ZONE) quarters.clear();
    quarters.set(bucket, quarter);
  }
  return quarter;
}

const withinQuarter = (instant: number) => ((instant % QUARTER_HOUR) + QUARTER_HOUR) % QUARTER_HOUR;

/** The UTC offset of `timeZone` at `instant`, in milliseconds. */
export function offsetAt(timeZone: string, instant: number): number {
  return quarterOf(timeZone, instant - withinQuarter(instant)).offset;
}

/** ISO 8601 with the zone's offset, e.g. 2026-12-03T09:40:00+01:00 (as Temporal writes it). */
export function isoInZone(instant: Date | number, timeZone: string): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const delta = withinQuarter(ms);
  const quarter = quarterOf(timeZone, ms - delta);
  const millis = delta % 1000;
  const fraction = millis === 0 ? '' : `.${pad(millis, 3).replace(/0+$/, '')}`;
  if (quarter.head !== null) {
    return `${quarter.head}${TWO_DIGITS[quarter.minute + Math.floor(delta / 60_000)]}:${TWO_DIGITS[Math.floor(delta / 1000) % 60]}${fraction}${quarter.tail}`;
  }
  const local = new Date(ms + quarter.offset);
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${fraction}${quarter.tail}`
  );
}

/**
 * The office-local calendar date of an instant, 'YYYY-MM-DD' (as Temporal writes it). Read from the
 * quarter hour's cached local date: within a quarter hour on the 15-minute offset grid the date
 * cannot change. Instants Temporal would refuse (not whole milliseconds) or that lie off the grid
 * go through Temporal, so the answer and the errors are Temporal's.
 */
export function localDate(instant: number, timeZone: string): string {
  if (Number.isInteger(instant)) {
    const date = quarterOf(timeZone, instant - withinQuarter(instant)).date;
    if (date !== null) return date;
  }
  return Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(timeZone).toPlainDate().toString();
}

/** The office-local calendar date of an instant, for calendar arithmetic. */
export function localPlainDate(instant: number, timeZone: string): Temporal.PlainDate {
  return Temporal.PlainDate.from(localDate(instant, timeZone));
}

/**
 * The first instant of an office-local calendar date, in epoch ms: midnight, or where a zone skips
 * midnight, the first instant the day has.
 */
export function localDayStart(date: Temporal.PlainDate | string, timeZone: string): number {
  return (typeof date === 'string' ? Temporal.PlainDate.from(date) : date).toZonedDateTime({ timeZone }).epochMilliseconds;
}

/** Office-local [start, end) of a calendar date in epoch ms; 23 or 25 hours long on DST days. */
export function localDayBounds(date: Temporal.PlainDate | string, timeZone: string): [number, number] {
  const day = typeof date === 'string' ? Temporal.PlainDate.from(date) : date;
  return [localDayStart(day, timeZone), localDayStart(day.add({ days: 1 }), timeZone)];
}
