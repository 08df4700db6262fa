import type { UiLanguage } from '../language.ts';

// Dates on the staff pages in one style, as a clerk writes them: „Do., 10.12.2026“ and
// „Do., 10.12.2026, 09:00“ (the call list's style); never an ISO date. CSV exports keep ISO.

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: UiLanguage, withTime: boolean): Intl.DateTimeFormat {
  const key = `${lang}:${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    const time = withTime ? ({ hour: '2-digit', minute: '2-digit' } as const) : {};
    f = new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
      weekday: 'short',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      ...time,
      timeZone: 'UTC',
    });
    formatters.set(key, f);
  }
  return f;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** An office-local date '2026-12-10' as „Do., 10.12.2026“ ("Thu, 10/12/2026"); anything else (a week '2026-W50') as it is. */
export function formatDay(date: string, lang: UiLanguage): string {
  const m = ISO_DAY.exec(date);
  if (!m) return date;
  return formatter(lang, false).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
}

/** „10.12.“ for a chart's axis, where the full date would not fit. */
export function formatDayShort(date: string): string {
  const m = ISO_DAY.exec(date);
  return m ? `${m[3]}.${m[2]}.` : date;
}

/** An ISO time with the office's offset ('2026-12-10T09:00:00+01:00') as „Do., 10.12.2026, 09:00“, read in that office time. */
export function formatWhen(iso: string, lang: UiLanguage): string {
  const [y, mo, d, h, mi] = iso.slice(0, 16).split(/[-T:]/).map(Number) as [number, number, number, number, number];
  return formatter(lang, true).format(new Date(Date.UTC(y, mo - 1, d, h, mi)));
}
