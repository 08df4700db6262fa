// Which dates a line of opening hours covers: weekdays, a repeat every n weeks counted from a start
// date (not ISO-week parity, which jumps at years with 53 weeks), and a validity range so next
// quarter's plan can be written today (#21).
import type { IsoDate, Weekday } from './capacity-types.ts';

export type WeekPattern = {
  weekdays: readonly Weekday[];
  /** 1 = every week; n = every n-th week, counted in 7-day steps from startingFrom. */
  everyWeeks: number;
  /** Required when everyWeeks > 1; no date before it is covered. */
  startingFrom: IsoDate | null;
  validFrom: IsoDate | null;
  /** Inclusive. */
  validTo: IsoDate | null;
};

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of an ISO date (calendar arithmetic only, no time zone involved). */
export function epochDay(date: IsoDate): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** ISO weekday (1 = Monday) of an epoch day; 1970-01-01 was a Thursday. */
export function weekdayOfEpochDay(day: number): Weekday {
  return (((((day + 3) % 7) + 7) % 7) + 1) as Weekday;
}

export function isoOfEpochDay(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

const step = (p: WeekPattern) => (p.startingFrom === null ? 1 : Math.max(1, p.everyWeeks)) * 7;

/** Inclusive bounds in epoch days; ±Infinity where the pattern is open. */
function bounds(p: WeekPattern): { low: number; high: number } {
  const starts = [p.startingFrom, p.validFrom].filter((d): d is IsoDate => d !== null).map(epochDay);
  return { low: starts.length ? Math.max(...starts) : -Infinity, high: p.validTo === null ? Infinity : epochDay(p.validTo) };
}

/** A day of the pattern's progression for `weekday`: the first such day on or after startingFrom. */
function anchor(p: WeekPattern, weekday: Weekday): number {
  const from = p.startingFrom === null ? 0 : epochDay(p.startingFrom);
  return from + ((weekday - weekdayOfEpochDay(from) + 7) % 7);
}

const mod = (a: number, m: number) => ((a % m) + m) % m;

export function patternCovers(p: WeekPattern, date: IsoDate): boolean {
  const day = epochDay(date);
  const weekday = weekdayOfEpochDay(day);
  const { low, high } = bounds(p);
  if (!p.weekdays.includes(weekday) || day < low || day > high) return false;
  return mod(day - anchor(p, weekday), step(p)) === 0;
}

/**
 * The first date both patterns cover, or null if they never meet. Two "every second Saturday"
 * lines that start a week apart never meet; one of them with a validity range may meet the other
 * only inside it. Each weekday's dates form an arithmetic progression, so it is enough to walk one
 * progression for at most lcm/step steps from the later start.
 */
export function firstCommonDate(a: WeekPattern, b: WeekPattern): IsoDate | null {
  const ba = bounds(a);
  const bb = bounds(b);
  const high = Math.min(ba.high, bb.high);
  let best: number | null = null;
  for (const weekday of a.weekdays) {
    if (!b.weekdays.includes(weekday)) continue;
    const [stepA, stepB] = [step(a), step(b)];
    const [anchorA, anchorB] = [anchor(a, weekday), anchor(b, weekday)];
    // Open on both sides: any common day will do, so start one full cycle before the end (or day 0).
    let low = Math.max(ba.low, bb.low);
    if (low === -Infinity) low = (high === Infinity ? 0 : high) - stepA * stepB;
    let day = anchorA + Math.ceil((low - anchorA) / stepA) * stepA;
    for (let i = 0; i <= stepB / 7 && day <= high; i += 1, day += stepA) {
      if (mod(day - anchorB, stepB) === 0) {
        if (best === null || day < best) best = day;
        break;
      }
    }
  }
  return best === null ? null : isoOfEpochDay(best);
}
