// The capacity plan: which 5-minute units an office has on a date, with how many seats, and how
// many of those seats are held back for the same morning or kept for phone booking.
import { Temporal } from 'temporal-polyfill';
import { UNIT_MS, type IsoDate, type PlannedUnit, type StaffingException, type StaffingRule, type WallTime } from './capacity-types.ts';
import { patternCovers } from './week-pattern.ts';
import { localDayStart } from './zoned-time.ts';

export type DayPlanInput = {
  date: IsoDate;
  timeZone: string;
  rules: readonly StaffingRule[];
  exceptions: readonly StaffingException[];
  isHoliday: boolean;
  sameDayShare: number;
  phoneShare: number;
};

const WALL_TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

/**
 * Epoch ms of an office-local wall time. 'compatible' puts a time in the spring-forward gap after
 * the gap and a repeated fall-back time at its first occurrence, so a range never runs backwards.
 */
export function wallTimeInstant(date: Temporal.PlainDate, time: WallTime, timeZone: string): number {
  const match = WALL_TIME.exec(time);
  if (!match) throw new RangeError(`not a wall time 'HH:MM': '${time}'`);
  if (match[1] === undefined) return localDayStart(date.add({ days: 1 }), timeZone);
  return Temporal.ZonedDateTime.from(
    { timeZone, year: date.year, month: date.month, day: date.day, hour: Number(match[1]), minute: Number(match[2]) },
    { disambiguation: 'compatible' },
  ).epochMilliseconds;
}

function assertCounters(counters: number, what: string): void {
  if (!Number.isInteger(counters) || counters < 0) {
    throw new RangeError(`${what}: appointmentCounters must be a whole number >= 0, got ${counters}`);
  }
}

/**
 * Visits the unit starts of a wall-time range, stepping in absolute time so DST days get the
 * units of the hours that really pass. Off-grid times shrink inward to whole units.
 */
function forEachUnit(date: Temporal.PlainDate, start: WallTime, end: WallTime, timeZone: string, visit: (startsAt: number) => void): void {
  const startInstant = wallTimeInstant(date, start, timeZone);
  const endInstant = wallTimeInstant(date, end, timeZone);
  // Compared as wall times: on a DST day the instants of a valid range may legitimately coincide.
  if (start >= end) throw new RangeError(`range ${start}-${end} on ${date.toString()} ends before it starts`);
  const from = Math.ceil(startInstant / UNIT_MS) * UNIT_MS;
  const to = Math.floor(endInstant / UNIT_MS) * UNIT_MS;
  for (let t = from; t < to; t += UNIT_MS) visit(t);
}

/**
 * Spreads `seats` over the units in proportion to `weights` (Bresenham): the running total of
 * weights decides when the next seat falls due, so a unit with weight w gets at most w seats and
 * the sum is exactly `seats` — even when the per-unit share is below one seat.
 */
function spread(weights: readonly number[], seats: number): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const out: number[] = [];
  let cumulative = 0;
  let given = 0;
  for (const weight of weights) {
    cumulative += weight;
    // Rounding to nearest (not floor) centres the seats instead of pushing them to the end of the day.
    const due = total === 0 ? 0 : Math.floor((2 * cumulative * seats + total) / (2 * total));
    out.push(due - given);
    given = due;
  }
  return out;
}

function assertShare(share: number, what: string): void {
  if (!Number.isFinite(share) || share < 0 || share > 1) throw new RangeError(`${what} must be between 0 and 1, got ${share}`);
}

/** Whether a weekly rule applies on `date` (whose ISO weekday is `weekday`). */
export function ruleCovers(rule: StaffingRule, date: IsoDate, weekday: number): boolean {
  if (rule.weekday !== weekday) return false;
  return rule.repeat === undefined || patternCovers({ weekdays: [rule.weekday], ...rule.repeat }, date);
}

/** Whether an exception (one date, or a range of dates) applies on `date`; ISO dates compare as text. */
export function exceptionCovers(e: StaffingException, date: IsoDate): boolean {
  return e.date <= date && date <= (e.endDate ?? e.date);
}

export function planDay(input: DayPlanInput): PlannedUnit[] {
  const { timeZone, sameDayShare, phoneShare } = input;
  assertShare(sameDayShare, 'sameDayShare');
  assertShare(phoneShare, 'phoneShare');
  if (sameDayShare + phoneShare > 1 + 1e-9) throw new RangeError('sameDayShare + phoneShare exceed 1');
  const date = Temporal.PlainDate.from(input.date);
  if (input.isHoliday) return [];

  const isoDate = date.toString();
  const capacity = new Map<number, number>();
  for (const rule of input.rules) {
    if (!ruleCovers(rule, isoDate, date.dayOfWeek)) continue;
    assertCounters(rule.appointmentCounters, `rule ${rule.start}-${rule.end}`);
    forEachUnit(date, rule.start, rule.end, timeZone, (t) => {
      capacity.set(t, (capacity.get(t) ?? 0) + rule.appointmentCounters);
    });
  }

  const exceptions = input.exceptions.filter((e) => exceptionCovers(e, isoDate));
  // Whole-day exceptions first so that a ranged one on the same date (more specific) wins.
  for (const e of exceptions) {
    if (e.start !== null || e.end !== null) continue;
    assertCounters(e.appointmentCounters, `exception ${e.reason}`);
    for (const t of capacity.keys()) capacity.set(t, e.appointmentCounters);
  }
  for (const e of exceptions) {
    if (e.start === null && e.end === null) continue;
    if (e.start === null || e.end === null) {
      throw new RangeError(`exception '${e.reason}' on ${isoDate} needs both start and end, or neither`);
    }
    assertCounters(e.appointmentCounters, `exception ${e.reason}`);
    // A ranged exception may also open units the weekly plan does not have (an extra Saturday).
    forEachUnit(date, e.start, e.end, timeZone, (t) => capacity.set(t, e.appointmentCounters));
  }

  const open = [...capacity.entries()].filter(([, seats]) => seats > 0).sort(([a], [b]) => a - b);
  const seats = open.map(([, s]) => s);
  const total = seats.reduce((sum, s) => sum + s, 0);
  const heldTotal = Math.round(total * sameDayShare);
  // Both rounded shares together may overshoot by one seat; the phone share yields.
  const phoneTotal = Math.min(Math.round(total * phoneShare), total - heldTotal);
  const held = spread(seats, heldTotal);
  // Phone seats are spread over what is left after holding back, so a unit never gives away more than it has.
  const phone = spread(
    seats.map((s, i) => s - (held[i] ?? 0)),
    phoneTotal,
  );
  return open.map(([startsAt, cap], i) => ({
    startsAt,
    capacity: cap,
    heldBack: held[i] ?? 0,
    phoneReserved: phone[i] ?? 0,
  }));
}

export function planRange(
  input: Omit<DayPlanInput, 'date' | 'isHoliday'> & { from: IsoDate; to: IsoDate; isHoliday: (date: IsoDate) => boolean },
): PlannedUnit[] {
  const { from, to, isHoliday, ...day } = input;
  const last = Temporal.PlainDate.from(to);
  const units: PlannedUnit[] = [];
  for (let date = Temporal.PlainDate.from(from); Temporal.PlainDate.compare(date, last) <= 0; date = date.add({ days: 1 })) {
    const iso = date.toString();
    units.push(...planDay({ ...day, date: iso, isHoliday: isHoliday(iso) }));
  }
  return units;
}
