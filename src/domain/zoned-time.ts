import { Temporal } from 'temporal-polyfill';

// Every slot in a search answer and every appointment view is written as ISO 8601 with the office's
// offset. Temporal's formatting is exact but costs tens of microseconds per call, which showed up
// as the largest single item in the release-storm profile. UTC offsets change only at instants that
// are whole multiples of 15 minutes, so the offset is fixed within each quarter hour: look it up
// once per zone and quarter hour, then format with integer arithmetic.
const QUARTER_HOUR = 15 * 60_000;
const offsets = new Map<string, number>();

/** The UTC offset of `timeZone` at `instant`, in milliseconds. */
export function offsetAt(timeZone: string, instant: number): number {
  const bucket = instant - (((instant % QUARTER_HOUR) + QUARTER_HOUR) % QUARTER_HOUR);
  const key = `${timeZone}|${bucket}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = Temporal.Instant.fromEpochMilliseconds(bucket).toZonedDateTimeISO(timeZone).offsetNanoseconds / 1e6;
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** ISO 8601 with the zone's offset, e.g. 2026-12-03T09:40:00+01:00 (as Temporal writes it). */
export function isoInZone(instant: Date | number, timeZone: string): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const offset = offsetAt(timeZone, ms);
  const local = new Date(ms + offset);
  const millis = local.getUTCMilliseconds();
  const fraction = millis === 0 ? '' : `.${pad(millis, 3).replace(/0+$/, '')}`;
  const abs = Math.abs(offset) / 60_000;
  const sign = offset < 0 ? '-' : '+';
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${fraction}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
