import type { ClosureNotice } from '../../app/closures/closure-notices.ts';
import type { UiLanguage } from '../language.ts';
import { Alert } from './components.tsx';
import { formatDateTime, formatTime, localDate } from './format.ts';
import { noticeTexts } from './messages/closure-offer-texts.ts';
import type { Page } from './page-context.ts';

/** "Testamt: heute bis 18:00 Uhr geschlossen. Grund: technische Störung." — one line per closure. */
export function closureNoticeText(notice: ClosureNotice, lang: UiLanguage, now: number): string {
  const w = noticeTexts(lang);
  const tz = notice.timeZone;
  const today = localDate(now, tz);
  const startsToday = localDate(notice.from, tz) === today;
  // An end at midnight belongs to the day before ("bis Donnerstag 24:00" is the whole Thursday).
  const endsToday = localDate(notice.to - 1, tz) === today;
  const time = (ms: number) => formatTime(new Date(ms), tz, lang);
  const dateTime = (ms: number) => formatDateTime(new Date(ms), tz, lang);
  let when: string;
  if (notice.from <= now) when = endsToday ? w.today(notice.officeName, time(notice.to)) : w.until(notice.officeName, dateTime(notice.to));
  else if (startsToday && endsToday) when = w.todayFrom(notice.officeName, time(notice.from), time(notice.to));
  else when = w.range(notice.officeName, dateTime(notice.from), dateTime(notice.to));
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
