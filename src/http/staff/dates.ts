import { formatDate } from '../../app/messaging/appointment-messages.ts';
import { isIsoDate } from '../../domain/calendar-text.ts';
import type { UiLanguage } from '../language.ts';

// Dates on the staff pages in the one style of the citizen pages and the mails (#22 item 4):
// „Do., 10.12.2026“ and „Do., 10.12.2026, 09:00“; never an ISO date. CSV exports keep ISO.

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * An office-local date '2026-12-10' as „Do., 10.12.2026“ ("Thu, 10 Dec 2026"); anything else (a week
 * '2026-W50', or text shaped like a date that is none, '2026-13-01', e.g. typed into a notice and
 * shown in the audit log) as it is.
 */
export function formatDay(date: string, lang: UiLanguage): string {
  // Noon UTC of that date is that date in every zone a German office uses.
  return ISO_DAY.test(date) && isIsoDate(date) ? formatDate(new Date(`${date}T12:00:00Z`), 'UTC', lang) : date;
}

/** „10.12.“ for a chart's axis, where the full date would not fit. */
export function formatDayShort(date: string): string {
  const m = ISO_DAY.exec(date);
  return m ? `${m[3]}.${m[2]}.` : date;
}

/** An ISO time with the office's offset ('2026-12-10T09:00:00+01:00') as „Do., 10.12.2026, 09:00“, read in that office time. */
export function formatWhen(iso: string, lang: UiLanguage): string {
  return `${formatDay(iso.slice(0, 10), lang)}, ${iso.slice(11, 16)}`;
}

/** A month '2027-01' as „Januar 2027“ ("January 2027"). */
export const monthName = (month: string, lang: UiLanguage) =>
  new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'de-DE', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-01T12:00:00Z`),
  );
