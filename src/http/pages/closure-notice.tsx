import type { ClosureNotice } from '../../app/closures/closure-notices.ts';
import type { UiLanguage } from '../language.ts';
import { Alert } from './components.tsx';
import { formatDate, formatDateTime, formatTime, localDate, localDayStart } from './format.ts';
import { noticeTexts } from './messages/closure-offer-texts.ts';
import type { Page } from './page-context.ts';

/** "Testamt: heute bis 18:00 Uhr geschlossen. Grund: technische Störung." — one line per closure. */
export function closureNoticeText(notice: ClosureNotice, lang: UiLanguage, now: number): string {
  const w = noticeTexts(lang);
  const tz = notice.timeZone;
  const office = notice.officeName;
  const today = localDate(now, tz);
  const startsToday = localDate(notice.from, tz) === today;
  // An end at midnight belongs to the day before ("bis Donnerstag 24:00" is the whole Thursday):
  // it is said as a whole day, never as „bis 00:00 Uhr“.
  const endsToday = localDate(notice.to - 1, tz) === today;
  const atMidnight = (ms: number) => localDate(ms, tz) !== localDate(ms - 1, tz);
  const time = (ms: number) => formatTime(new Date(ms), tz, lang);
  const start = (ms: number) => (atMidnight(ms) ? formatDate(new Date(ms), tz, lang) : formatDateTime(new Date(ms), tz, lang));
  const end = (ms: number) =>
    atMidnight(ms) ? w.throughDay(formatDate(new Date(ms - 1), tz, lang)) : formatDateTime(new Date(ms), tz, lang);
  const toEndOfDay = atMidnight(notice.to);
  let when: string;
  if (notice.from <= now && endsToday) {
    if (!toEndOfDay) when = w.today(office, time(notice.to));
    else when = notice.from <= localDayStart(today, tz) ? w.todayAllDay(office) : w.todayRest(office);
  } else if (notice.from <= now) when = w.until(office, end(notice.to));
  else if (startsToday && endsToday)
    when = toEndOfDay ? w.todayFromOn(office, time(notice.from)) : w.todayFrom(office, time(notice.from), time(notice.to));
  else if (atMidnight(notice.from) && toEndOfDay && localDate(notice.from, tz) === localDate(notice.to - 1, tz))
    when = w.onDay(office, formatDate(new Date(notice.from), tz, lang));
  else when = w.range(office, start(notice.from), end(notice.to));
  return `${when} ${w.reason(notice.reason)}`;
}

/** Shown at the top of every citizen page while an office is closed or about to close. */
export function ClosureNotices({ page }: { page: Page }) {
  if (!page.closures || page.closures.notices.length === 0) return null;
  const { notices, now } = page.closures;
  const w = noticeTexts(page.lang);
  const lines = notices.map((n) => closureNoticeText(n, page.lang, now));
  return (
    <Alert variant="warning" title={notices.length === 1 ? lines[0]! : w.label} id="schliessung">
      {notices.length > 1 ? (
        <ul class="kern-list kern-list--bullet">
          {lines.map((line) => (
            <li>{line}</li>
          ))}
        </ul>
      ) : null}
      <p class="kern-body">{w.affected}</p>
    </Alert>
  );
}
