// The waiting list (#5): which free slot suits which waiting citizen, and who is asked first. A
// citizen names offices, a date range, weekdays and a time of day; the appointment they need has a
// fixed length (services x persons). Pure rules: the caller passes "today" and the office's zone.
import { Temporal } from 'temporal-polyfill';
import { UNIT_MS, type IsoDate, type WallTime, type Weekday } from './capacity-types.ts';
import { readIsoDate, readWallTime } from './calendar-text.ts';
import { offsetAt } from './zoned-time.ts';

export type WaitingCriteria = {
  officeIds: readonly string[];
  /** Office-local dates, inclusive. */
  earliestDate: IsoDate;
  latestDate: IsoDate;
  /** ISO weekdays the citizen can come on (1 = Monday). */
  weekdays: readonly Weekday[];
  /** The appointment starts at or after fromTime and ends at or before toTime (office-local wall time). */
  fromTime: WallTime;
  toTime: WallTime;
};

export type WaitingEntryShape = WaitingCriteria & { id: string; joinedAt: number; durationUnits: number };

/** A free stretch in one office: [start, end) has a seat in every unit. */
export type FreeSlot = { officeId: string; start: number; end: number; timeZone: string };

/** The longest a citizen may wait for: beyond it the release waves and staffing plans are guesses. */
export const MAX_WAITING_DAYS = 180;

export type CriteriaProblem = { path: 'officeIds' | 'earliestDate' | 'latestDate' | 'weekdays' | 'fromTime' | 'toTime'; message: string };

/** Everything wrong with the criteria at once (for the form and the API), or an empty list. */
export function criteriaProblems(c: WaitingCriteria, today: IsoDate): CriteriaProblem[] {
  const problems: CriteriaProblem[] = [];
  if (c.officeIds.length === 0) problems.push({ path: 'officeIds', message: 'choose at least one office' });
  const earliest = readIsoDate(c.earliestDate);
  const latest = readIsoDate(c.latestDate);
  if (!earliest) problems.push({ path: 'earliestDate', message: 'must be a date YYYY-MM-DD' });
  if (!latest) problems.push({ path: 'latestDate', message: 'must be a date YYYY-MM-DD' });
  if (latest && Temporal.PlainDate.compare(latest, Temporal.PlainDate.from(today)) < 0)
    problems.push({ path: 'latestDate', message: 'must not be in the past' });
  if (earliest && latest && Temporal.PlainDate.compare(earliest, latest) > 0)
    problems.push({ path: 'latestDate', message: 'must not be before the earliest date' });
  if (latest && Temporal.PlainDate.from(today).until(latest).days > MAX_WAITING_DAYS)
    problems.push({ path: 'latestDate', message: `at most ${MAX_WAITING_DAYS} days from today` });
  if (c.weekdays.length === 0) problems.push({ path: 'weekdays', message: 'choose at least one weekday' });
  if (c.weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7))
    problems.push({ path: 'weekdays', message: 'weekdays are 1 (Monday) to 7 (Sunday)' });
  const from = readWallTime(c.fromTime);
  const to = readWallTime(c.toTime, { endOfDay: true });
  if (from === null) problems.push({ path: 'fromTime', message: 'must be a time HH:MM' });
  if (to === null) problems.push({ path: 'toTime', message: 'must be a time HH:MM' });
  if (from !== null && to !== null && from >= to) problems.push({ path: 'toTime', message: 'must be after the earliest time' });
  return problems;
}

/**
 * Does the free stretch suit the entry: its office, a date in range on a wanted weekday, inside the
 * time of day, long enough? Runs for every free start the sweep finds, so local times come from a
 * memoised zone offset (zoned-time.ts) rather than Temporal per call.
 */
export function slotMatches(entry: WaitingCriteria & { durationUnits: number }, slot: FreeSlot): boolean {
  if (!entry.officeIds.includes(slot.officeId)) return false;
  if (slot.end - slot.start < entry.durationUnits * UNIT_MS) return false;
  const start = new Date(slot.start + offsetAt(slot.timeZone, slot.start));
  const date = isoDate(start);
  if (date < entry.earliestDate || date > entry.latestDate) return false;
  const weekday = (start.getUTCDay() || 7) as Weekday;
  if (!entry.weekdays.includes(weekday)) return false;
  // The appointment itself, not the whole free stretch, must end inside the time of day.
  const endInstant = slot.start + entry.durationUnits * UNIT_MS;
  const end = new Date(endInstant + offsetAt(slot.timeZone, endInstant));
  const startMinutes = start.getUTCHours() * 60 + start.getUTCMinutes();
  // An appointment ending at midnight ends at 24:00 of its own day.
  const endMinutes = (isoDate(end) === date ? 0 : 24 * 60) + end.getUTCHours() * 60 + end.getUTCMinutes();
  return startMinutes >= minutesOf(entry.fromTime) && endMinutes <= minutesOf(entry.toTime);
}

function isoDate(local: Date): IsoDate {
  return `${String(local.getUTCFullYear()).padStart(4, '0')}-${String(local.getUTCMonth() + 1).padStart(2, '0')}-${String(local.getUTCDate()).padStart(2, '0')}`;
}

/** The earliest of the free stretches that suits the entry (the list in any order), or null. */
export function firstMatch(entry: WaitingCriteria & { durationUnits: number }, slots: readonly FreeSlot[]): FreeSlot | null {
  return matchingSlots(entry, slots, 1)[0] ?? null;
}

/** Up to `limit` free stretches that suit the entry, earliest first (ties by office). */
export function matchingSlots(entry: WaitingCriteria & { durationUnits: number }, slots: readonly FreeSlot[], limit: number): FreeSlot[] {
  return slots
    .filter((slot) => slotMatches(entry, slot))
    .sort((a, b) => a.start - b.start || (a.officeId < b.officeId ? -1 : a.officeId > b.officeId ? 1 : 0))
    .slice(0, limit);
}

/**
 * A few free times to show a person instead of a waiting-list place: spread over the day (at least
 * `gapMs` apart at one office), not the next five 5-minute starts of one morning; filled up in time
 * order where the spread finds fewer. Earliest first.
 */
export function spreadSlots(slots: readonly FreeSlot[], limit: number, gapMs: number): FreeSlot[] {
  const chosen: FreeSlot[] = [];
  for (const slot of slots)
    if (chosen.length < limit && chosen.every((c) => c.officeId !== slot.officeId || Math.abs(c.start - slot.start) >= gapMs))
      chosen.push(slot);
  for (const slot of slots) if (chosen.length < limit && !chosen.includes(slot)) chosen.push(slot);
  return chosen.sort((a, b) => a.start - b.start || (a.officeId < b.officeId ? -1 : a.officeId > b.officeId ? 1 : 0));
}

/** First come, first asked: by the time of joining; the id only breaks exact ties so the order is stable. */
export function offerOrder<T extends { joinedAt: number; id: string }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => a.joinedAt - b.joinedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The office-local dates worth searching: from the later of today and the earliest date; null once the range has passed. */
export function searchDates(
  c: Pick<WaitingCriteria, 'earliestDate' | 'latestDate'>,
  today: IsoDate,
): { from: IsoDate; to: IsoDate } | null {
  if (c.latestDate < today) return null;
  return { from: c.earliestDate < today ? today : c.earliestDate, to: c.latestDate };
}

/**
 * Offers are held in office daytime only (#22 item 5): an offer sent at 23:00 with a two-hour hold
 * would otherwise lapse while its person sleeps. The hold's clock runs from 07:00 to 20:00 office
 * time; outside it, it waits for the next morning.
 */
export const OFFER_DAYTIME = { from: '07:00', to: '20:00' } as const;

/** The instant when `ms` of office daytime have passed since `now`. */
export function afterDaytime(now: number, ms: number, timeZone: string): number {
  const from = minutesOf(OFFER_DAYTIME.from as WallTime);
  const to = minutesOf(OFFER_DAYTIME.to as WallTime);
  let at = now;
  let left = ms;
  let date = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(timeZone).toPlainDate();
  // Each turn ends a day; a hold is hours, so a few turns suffice (the bound only guards bad input).
  for (let turn = 0; turn < 400; turn++) {
    const open = wallInstant(date, from, timeZone);
    const close = wallInstant(date, to, timeZone);
    if (at < open) at = open;
    if (at < close) {
      const step = Math.min(left, close - at);
      at += step;
      left -= step;
      if (left <= 0) return at;
    }
    date = date.add({ days: 1 });
  }
  return at;
}

/**
 * The earliest start a waiting-list offer may have: an hour of office daytime to answer, and the
 * seat given back an hour before the slot (see waitingOfferDeadline). By day that is two hours
 * ahead, as before; at night the first morning slots go to whoever books them, not to a hold
 * nobody can answer. On the unit grid.
 */
export function earliestOfferableStart(now: number, timeZone: string): number {
  return Math.ceil((afterDaytime(now, 3_600_000, timeZone) + 3_600_000) / UNIT_MS) * UNIT_MS;
}

/** The hold of a waiting-list offer: holdMs of office daytime from now, but given back an hour before the slot at the latest. */
export function waitingOfferDeadline(input: { now: number; slotStart: number; holdMs: number; timeZone: string }): number {
  return Math.max(input.now, Math.min(afterDaytime(input.now, input.holdMs, input.timeZone), input.slotStart - 3_600_000));
}

function wallInstant(date: Temporal.PlainDate, minutes: number, timeZone: string): number {
  return date.toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from({ hour: Math.floor(minutes / 60), minute: minutes % 60 }) })
    .epochMilliseconds;
}

function minutesOf(time: WallTime): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}
