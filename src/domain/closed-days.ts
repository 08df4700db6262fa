// A town's own closing days: Rosenmontag, Heiligabend, Silvester, Brückentage. They are not public
// holidays of the Land (those come from date-holidays, src/domain/holidays.ts), so each town writes
// them in its town file (#21), by date or by a rule that finds the day in every year.
import type { IsoDate } from './capacity-types.ts';
import { isIsoDate } from './calendar-text.ts';
import { isPublicHoliday } from './holidays.ts';

export type ClosedDayRule =
  | { kind: 'date'; date: IsoDate }
  /** The same month and day every year ('12-24'). */
  | { kind: 'yearly'; month: number; day: number }
  /** Days after (or before) Easter Sunday: the carnival days move with Easter. */
  | { kind: 'easter'; offset: number };

/**
 * The closing days towns commonly name. Rosenmontag is 48 days before Easter Sunday and
 * Weiberfastnacht (the Thursday before) 52; Heiligabend and Silvester are 'bank' days in
 * date-holidays, not public holidays, so the town decides them.
 */
export const NAMED_CLOSED_DAYS: Readonly<Record<string, ClosedDayRule>> = {
  weiberfastnacht: { kind: 'easter', offset: -52 },
  rosenmontag: { kind: 'easter', offset: -48 },
  heiligabend: { kind: 'yearly', month: 12, day: 24 },
  silvester: { kind: 'yearly', month: 12, day: 31 },
};

const YEARLY = /^(\d{2})-(\d{2})$/;
const EASTER = /^ostern([+-])(\d{1,2})$/;

/** '2027-02-08', '12-24', 'ostern-48' or a name above; null for anything else. */
export function readClosedDay(text: string): ClosedDayRule | null {
  const named = NAMED_CLOSED_DAYS[text];
  if (named) return named;
  if (isIsoDate(text)) return { kind: 'date', date: text };
  const yearly = YEARLY.exec(text);
  // 2000 is a leap year, so '02-29' counts as a day (it then closes only in leap years).
  if (yearly && isIsoDate(`2000-${text}`)) return { kind: 'yearly', month: Number(yearly[1]), day: Number(yearly[2]) };
  const easter = EASTER.exec(text);
  if (easter) return { kind: 'easter', offset: (easter[1] === '-' ? -1 : 1) * Number(easter[2]) };
  return null;
}

/** Easter Sunday of a Gregorian year (the anonymous algorithm of Meeus, Jones and Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoOf(Date.UTC(year, month - 1, day));
}

/** The date the rule closes in `year`, or null (a fixed date of another year, 29 February of a common year). */
export function closedDayIn(rule: ClosedDayRule, year: number): IsoDate | null {
  switch (rule.kind) {
    case 'date':
      return rule.date.startsWith(`${year}-`) ? rule.date : null;
    case 'yearly': {
      const date = `${year}-${pad(rule.month)}-${pad(rule.day)}`;
      return isIsoDate(date) ? date : null;
    }
    case 'easter':
      return isoOf(Date.parse(`${easterSunday(year)}T00:00:00Z`) + rule.offset * 86_400_000);
  }
}

/** Whether one of the rules closes the office on `date`. */
export function isClosedDay(date: IsoDate, rules: readonly ClosedDayRule[]): boolean {
  const year = Number(date.slice(0, 4));
  return rules.some((rule) => closedDayIn(rule, year) === date);
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoOf = (epochMs: number): IsoDate => new Date(epochMs).toISOString().slice(0, 10);

/** The rules of stored closing-day texts; a text no rule reads (never written by the town file's check) is left out. */
export function readClosedDays(texts: readonly string[]): ClosedDayRule[] {
  return texts.map(readClosedDay).filter((rule): rule is ClosedDayRule => rule !== null);
}

/** Whether an office is shut all day: a public holiday of its region, or one of its own closing days. */
export function isOfficeClosedOn(date: IsoDate, office: { holidayRegion: string; closedDays: readonly ClosedDayRule[] }): boolean {
  return isPublicHoliday(date, office.holidayRegion) || isClosedDay(date, office.closedDays);
}
