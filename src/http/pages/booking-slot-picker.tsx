import { Temporal } from 'temporal-polyfill';
import type { Slot } from '../../app/booking/search-availability.ts';
import { Alert, Hidden, LinkButton, SubmitButton } from './components.tsx';
import { formatDateTime, formatLongDate, formatMonth, formatRelease, formatTime, formatWallTime } from './format.ts';
import type { Page } from './page-context.ts';
import { waitingListTexts } from './messages/waiting-list-texts.ts';
import { ANY_OFFICE, type Picker } from './booking-picker-data.ts';

export type PickerLinks = {
  /** The picker page itself with another office, month or day. */
  view(params: { office?: string | undefined; month?: string | undefined; day?: string | undefined }): string;
  /** Where choosing a free start leads (the details form, or the move confirmation). */
  choose(slot: Slot): string;
  /** Hidden fields the office form must carry (e.g. the services). */
  hidden: Record<string, string>;
  /** The form's action: the picker page's own path. */
  action: string;
  /** Where "no free slot" offers to join the waiting list (booking only; not when moving an appointment). */
  waitingList?: string;
};

/** Office choice, earliest free start, month calendar and the times of a day; all plain links. */
export function SlotPicker({ page, picker, links }: { page: Page; picker: Picker; links: PickerLinks }) {
  const { t } = page;
  if (picker.offices.length === 0) {
    return (
      <Alert variant="warning" title={t.pick.noSlotsTitle}>
        <p class="kern-body">{t.pick.noOffice}</p>
      </Alert>
    );
  }
  const officeParam = picker.officeId ?? (picker.offices.length > 1 ? ANY_OFFICE : undefined);
  return (
    <>
      {picker.offices.length > 1 ? <OfficeForm page={page} picker={picker} links={links} /> : null}
      {/* What the office choice changes: booking-picker.js swaps this in place where JavaScript runs. */}
      <p class="kern-sr-only" id="zeiten-status" role="status"></p>
      <div id="zeiten-auswahl" data-announce={t.pick.shownFor(picker.officeId ? officeName(picker, picker.officeId) : null)}>
        {picker.earliest ? (
          <>
            <Earliest page={page} picker={picker} slot={picker.earliest} links={links} />
            <Calendar page={page} picker={picker} links={links} officeParam={officeParam} />
            <Times page={page} picker={picker} links={links} />
          </>
        ) : (
          <NoSlots page={page} picker={picker} waitingList={links.waitingList} />
        )}
      </div>
    </>
  );
}

function officeName(picker: Picker, officeId: string): string {
  return picker.offices.find((o) => o.office.id === officeId)?.office.name ?? officeId;
}

function OfficeForm({ page, picker, links }: { page: Page; picker: Picker; links: PickerLinks }) {
  const { t } = page;
  const chosen = picker.officeId ?? ANY_OFFICE;
  const options = [
    { id: ANY_OFFICE, label: t.pick.anyOffice, hint: '' },
    ...picker.offices.map((o) => ({ id: o.office.id, label: o.office.name, hint: o.office.address })),
  ];
  return (
    <form method="get" action={links.action} data-picker-form>
      {Object.entries(links.hidden).map(([name, value]) => (
        <Hidden name={name} value={value} />
      ))}
      <fieldset class="kern-fieldset">
        <legend class="kern-label">{t.pick.officeLegend}</legend>
        <div class="kern-fieldset__body">
          {options.map((o) => (
            <div class="kern-form-check">
              <input
                class="kern-form-check__radio"
                type="radio"
                name="office"
                id={`standort-${o.id}`}
                value={o.id}
                checked={o.id === chosen}
                aria-describedby={o.hint ? `standort-${o.id}-adresse` : undefined}
              />
              <label class="kern-label" for={`standort-${o.id}`}>
                {o.label}
              </label>
              {o.hint ? (
                <div class="kern-hint" id={`standort-${o.id}-adresse`}>
                  {o.hint}
                </div>
              ) : null}
            </div>
          ))}
        </div>
      </fieldset>
      <div class="actions" data-picker-submit>
        <SubmitButton label={t.pick.showOffice} variant="secondary" />
      </div>
    </form>
  );
}

function Earliest({ page, picker, slot, links }: { page: Page; picker: Picker; slot: Slot; links: PickerLinks }) {
  const { t, lang } = page;
  return (
    <section aria-labelledby="fruehester">
      <h2 class="kern-heading-medium" id="fruehester">
        {t.pick.earliestHeading}
      </h2>
      <p class="kern-body">
        {t.pick.earliestAt(formatDateTime(new Date(slot.start), picker.timeZone, lang), officeName(picker, slot.officeId))}
      </p>
      <div class="actions">
        <LinkButton href={links.choose(slot)} label={t.pick.takeEarliest} />
      </div>
    </section>
  );
}

function Calendar({
  page,
  picker,
  links,
  officeParam,
}: {
  page: Page;
  picker: Picker;
  links: PickerLinks;
  officeParam: string | undefined;
}) {
  const { t, lang } = page;
  const first = Temporal.PlainDate.from(`${picker.month}-01`);
  const cells: (string | null)[] = Array.from({ length: first.dayOfWeek - 1 }, () => null);
  for (let d = first; d.month === first.month; d = d.add({ days: 1 })) cells.push(d.toString());
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
  return (
    <section aria-labelledby="kalender">
      <h2 class="kern-heading-medium" id="kalender">
        {t.pick.calendarHeading}
      </h2>
      <p class="kern-body">{t.pick.calendarHint}</p>
      <nav class="calendar-nav" aria-label={t.pick.calendarHeading}>
        {picker.prevMonth ? (
          <a class="kern-link" href={links.view({ office: officeParam, month: picker.prevMonth })}>
            <span class="kern-icon kern-icon--chevron-left" aria-hidden="true"></span>
            {t.pick.prevMonth}
          </a>
        ) : (
          <span></span>
        )}
        {picker.nextMonth ? (
          <a class="kern-link" href={links.view({ office: officeParam, month: picker.nextMonth })}>
            {t.pick.nextMonth}
            <span class="kern-icon kern-icon--chevron-right" aria-hidden="true"></span>
          </a>
        ) : null}
      </nav>
      <table class="calendar">
        <caption>{formatMonth(picker.month, lang)}</caption>
        <thead>
          <tr>
            {t.pick.weekdaysShort.map((short, i) => (
              <th scope="col">
                <abbr title={t.pick.weekdays[i]}>{short}</abbr>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr>
              {week.map((date) => (
                <td>
                  {date ? (
                    <CalendarDay page={page} picker={picker} date={date} href={links.view({ office: officeParam, day: date })} />
                  ) : null}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {picker.bookableDays.size === 0 ? <p class="kern-body">{t.pick.monthEmpty}</p> : null}
    </section>
  );
}

function CalendarDay({ page, picker, date, href }: { page: Page; picker: Picker; date: string; href: string }) {
  const day = String(Number(date.slice(8)));
  if (!picker.bookableDays.has(date)) return <span class="calendar__day calendar__day--none">{day}</span>;
  // The visible number is part of the accessible name (WCAG 2.5.3), the full date gives context.
  return (
    <a
      class="calendar__day"
      href={`${href}#uhrzeiten`}
      aria-current={date === picker.day ? 'date' : undefined}
      aria-label={page.t.pick.dayFree(formatLongDate(date, page.lang))}
    >
      {day}
    </a>
  );
}

function Times({ page, picker, links }: { page: Page; picker: Picker; links: PickerLinks }) {
  const { t, lang } = page;
  if (!picker.day) return null;
  const byOffice = new Map<string, Slot[]>();
  for (const slot of picker.daySlots) byOffice.set(slot.officeId, [...(byOffice.get(slot.officeId) ?? []), slot]);
  const grouped = byOffice.size > 1 || picker.officeId === null;
  const time = (slot: Slot) => formatTime(new Date(slot.start), picker.timeZone, lang);
  return (
    <section aria-labelledby="uhrzeiten">
      <h2 class="kern-heading-medium" id="uhrzeiten">
        {t.pick.timesHeading(formatLongDate(picker.day, lang))}
      </h2>
      {picker.daySlots.length === 0 ? <p class="kern-body">{t.pick.monthEmpty}</p> : null}
      {grouped
        ? // Any office: one fold per office, the first (earliest) open — not a hundred loose buttons.
          [...byOffice.entries()].map(([officeId, slots], i) => (
            <details class="time-office" open={i === 0}>
              <summary class="time-office__summary">
                <span class="time-office__name">{officeName(picker, officeId)}:</span>{' '}
                <span class="time-office__count">{t.pick.officeTimes(slots.length, time(slots[0]!), time(slots.at(-1)!))}</span>
              </summary>
              <HourRows page={page} picker={picker} links={links} slots={slots} idPrefix={`zeiten-${officeId}`} />
            </details>
          ))
        : [...byOffice.values()].map((slots) => <HourRows page={page} picker={picker} links={links} slots={slots} idPrefix="zeiten" />)}
    </section>
  );
}

/** A day's times in rows by hour („9 Uhr: 09:00 09:05 …“): short to scan for „nur nachmittags“, compact at 375 px. */
function HourRows({
  page,
  picker,
  links,
  slots,
  idPrefix,
}: {
  page: Page;
  picker: Picker;
  links: PickerLinks;
  slots: Slot[];
  idPrefix: string;
}) {
  const { t, lang } = page;
  const byHour = new Map<number, Slot[]>();
  for (const slot of slots) {
    const hour = Temporal.Instant.fromEpochMilliseconds(new Date(slot.start).getTime()).toZonedDateTimeISO(picker.timeZone).hour;
    byHour.set(hour, [...(byHour.get(hour) ?? []), slot]);
  }
  return (
    <div class="time-hours">
      {[...byHour.entries()].map(([hour, hourSlots]) => (
        <div class="time-hour">
          <span class="time-hour__label" id={`${idPrefix}-${hour}`}>
            {t.pick.hourLabel(hour)}
          </span>
          <ul class="time-list time-list--compact" aria-labelledby={`${idPrefix}-${hour}`}>
            {hourSlots.map((slot) => (
              <li>
                <TimeButton href={links.choose(slot)} label={formatTime(new Date(slot.start), picker.timeZone, lang)} />
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

/** „09:05“ on the button under „9 Uhr“; the accessible name keeps „09:05 Uhr“ (it contains the visible text, WCAG 2.5.3). */
function TimeButton({ href, label }: { href: string; label: string }) {
  const short = label.replace(/ Uhr$/, '');
  return (
    <a class="kern-btn kern-btn--secondary" href={href} aria-label={short === label ? undefined : label}>
      <span class="kern-label">{short}</span>
    </a>
  );
}

function NoSlots({ page, picker, waitingList }: { page: Page; picker: Picker; waitingList: string | undefined }) {
  const { t, lang } = page;
  const release = picker.release;
  const w = waitingListTexts(lang);
  return (
    <Alert variant="info" title={t.pick.noSlotsTitle}>
      {picker.officeId && picker.offices.length > 1 ? <p class="kern-body">{t.pick.noSlotsOffice}</p> : null}
      <p class="kern-body">{release ? t.pick.nextRelease(formatRelease(release.at, picker.timeZone, lang)) : t.pick.noRelease}</p>
      {release?.sameDayTime ? <p class="kern-body">{t.pick.sameDayRelease(formatWallTime(release.sameDayTime, lang))}</p> : null}
      {waitingList ? (
        <>
          <p class="kern-body">{w.joinHint}</p>
          <div class="actions">
            <LinkButton href={waitingList} label={w.joinLink} />
          </div>
        </>
      ) : null}
    </Alert>
  );
}
