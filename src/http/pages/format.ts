import { formatDate, formatDateTime, formatMoney, formatTime } from '../../app/messaging/appointment-messages.ts';
import { localDate, localDayStart } from '../../domain/zoned-time.ts';
import type { UiLanguage } from '../language.ts';

// The mails' formats (de: "Do., 03.12.2026, 09:40 Uhr", "37,00 €") are the pages' formats too,
// so a citizen reads the same words on screen, in the mail and in the calendar.
export { formatDate, formatDateTime, formatMoney, formatTime };
// The pages' office-local dates ('2026-11-26') are the domain's.
export { localDate, localDayStart };

const odd = /[\u00a0\u202f]/g;
const locale = (language: UiLanguage) => (language === 'de' ? 'de-DE' : 'en-GB');

/** An office-local calendar date ('2026-11-26') in full: "Donnerstag, 26. November 2026". */
export function formatLongDate(date: string, language: UiLanguage): string {
  return plainDateFormat(date, language, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

/** An office-local calendar date ('2026-12-10') as people read it: „Do., 10.12.2026“, "Thu, 10 Dec 2026". */
export function formatShortDate(date: string, language: UiLanguage): string {
  // Noon UTC of that date is that date in every zone a German office uses.
  return formatDate(new Date(`${date}T12:00:00Z`), 'UTC', language);
}

/**
 * An expected wait: never „etwa 0 Minuten“ nor „1 Minuten“. Under a minute (an empty queue, a counter
 * about to be free) is „weniger als 1 Minute“.
 */
export function formatWaitMinutes(minutes: number, language: UiLanguage): string {
  const m = Math.round(minutes);
  if (language === 'en') return m < 1 ? 'less than a minute' : m === 1 ? 'about 1 minute' : `about ${m} minutes`;
  return m < 1 ? 'weniger als 1 Minute' : m === 1 ? 'etwa 1 Minute' : `etwa ${m} Minuten`;
}

/** "November 2026" for '2026-11'. */
export function formatMonth(yearMonth: string, language: UiLanguage): string {
  return plainDateFormat(`${yearMonth}-01`, language, { month: 'long', year: 'numeric' });
}

/** When the next wave of slots opens: "Montag, 30. November 2026, 07:00 Uhr". */
export function formatRelease(instant: number, timeZone: string, language: UiLanguage): string {
  return `${formatLongDate(localDate(instant, timeZone), language)}, ${formatTime(new Date(instant), timeZone, language)}`;
}

/** Wall time 'HH:MM' as the catalogue language writes it ("07:00 Uhr", "7:00 AM"). */
export function formatWallTime(wallTime: string, language: UiLanguage): string {
  const [h = 0, m = 0] = wallTime.split(':').map(Number);
  return formatTime(new Date(Date.UTC(2000, 0, 1, h, m)), 'UTC', language);
}

export function totalFeeCents(items: { feeCents: number | null; persons: number }[]): number {
  return items.reduce((sum, item) => sum + (item.feeCents ?? 0) * item.persons, 0);
}

function plainDateFormat(date: string, language: UiLanguage, options: Intl.DateTimeFormatOptions): string {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(language), { ...options, timeZone: 'UTC' })
    .format(new Date(Date.UTC(y, m - 1, d)))
    .replace(odd, ' ');
}
