import type { MonthDay } from '../../app/setup/read-staffing-month.ts';
import type { TownFileInput } from '../../app/setup/town-file-schema.ts';
import { mostCounters, type StaffedRange } from '../../domain/staffing-day.ts';
import { Alert } from '../pages/components.tsx';
import { AdminSectionNav } from './admin-section-nav.tsx';
import { formatDay, monthName } from './dates.ts';
import { hoursMessages } from './messages/setup-hours.ts';
import { StaffLayout, type StaffPage } from './page.tsx';
import { HOURS } from './setup-hours-views.tsx';
import { StaffTable } from './staff-table.tsx';

// The month view of the hours page (#19): per day the staffed counters, the booked load, holidays,
// closing days, exceptions and closures; a click on a day opens the exception form for it.

type DocOffice = TownFileInput['offices'][number];

const ranges = (page: StaffPage, list: StaffedRange[]) =>
  list.map((r) => `${r.from}–${r.to}: ${hoursMessages[page.lang].counters(r.appointment, r.walkin)}`).join('; ');

export function MonthPage(p: {
  page: StaffPage;
  office: DocOffice;
  month: string;
  previous: string;
  next: string;
  days: MonthDay[];
  canEdit: boolean;
  notice?: string | undefined;
}) {
  const { page, office } = p;
  const m = hoursMessages[page.lang];
  const mm = m.month;
  const title = mm.title(office.name, monthName(p.month, page.lang));
  const exceptions = office.exceptions ?? [];
  const notes = (d: MonthDay) => {
    const out: { text: string; href?: string }[] = [];
    if (d.holiday) out.push({ text: mm.holiday(d.holiday) });
    if (d.closedDay) out.push({ text: mm.closedDay });
    for (const c of d.changes) {
      const at = exceptions.findIndex((x) => x.date === c.date && x.reason === c.reason && (x.from ?? null) === c.from);
      // What the plan had in the exception's hours: „3 statt 6“; with times, those times first.
      const inRange = c.from === null || c.to === null ? d.regular : d.regular.filter((r) => r.from < c.to! && c.from! < r.to);
      const before = mostCounters(inRange);
      const changed = before !== c.appointment ? mm.instead(c.appointment, before, c.reason) : mm.exception(c.reason);
      const text = c.from !== null && c.to !== null ? `${c.from}–${c.to}: ${changed}` : changed;
      out.push(p.canEdit && at >= 0 ? { text, href: `${HOURS}/${office.id}/ausnahme?nr=${at}` } : { text });
    }
    for (const c of d.closures) out.push({ text: mm.closure(c.reason) });
    return out;
  };
  return (
    <StaffLayout page={page} title={title}>
      <AdminSectionNav page={page} />
      <p>
        <a class="kern-link" href={`${HOURS}/${office.id}`}>
          {m.backToOffice(office.name)}
        </a>
      </p>
      <h1 class="kern-heading-large">{title}</h1>
      {p.notice ? <Alert variant="success" title={p.notice} role="status" /> : null}
      {p.canEdit ? <p class="kern-body">{mm.intro}</p> : null}
      <nav class="staff-confirm" aria-label={title}>
        <a class="kern-link" href={`${HOURS}/${office.id}/monat?monat=${p.previous}`}>
          {mm.previous}: {monthName(p.previous, page.lang)}
        </a>
        <a class="kern-link" href={`${HOURS}/${office.id}/monat?monat=${p.next}`}>
          {mm.next}: {monthName(p.next, page.lang)}
        </a>
      </nav>
      {/* On a phone each day becomes a block with labelled lines (staff.css), so the notes are not off-screen. */}
      <div class="staff-month">
        <StaffTable label={mm.caption(monthName(p.month, page.lang))} columns={[mm.col.day, mm.col.staffed, mm.col.booked, mm.col.notes]}>
          {p.days.map((d) => {
            const day = formatDay(d.date, page.lang);
            const share = d.capacity > 0 ? Math.round((100 * d.booked) / d.capacity) : null;
            return (
              <tr class={d.ranges.length === 0 ? 'staff-day-closed' : undefined}>
                <th scope="row" class="staff-nowrap">
                  {p.canEdit ? (
                    <a class="kern-link" href={`${HOURS}/${office.id}/ausnahme?datum=${d.date}`} aria-label={mm.addException(day)}>
                      {day}
                    </a>
                  ) : (
                    day
                  )}
                </th>
                <td data-label={mm.col.staffed}>{d.ranges.length ? ranges(page, d.ranges) : mm.closed}</td>
                <td class="staff-nowrap" data-label={mm.col.booked}>
                  {d.appointments > 0 || share !== null ? mm.booked(d.appointments, share) : ''}
                </td>
                <td data-label={mm.col.notes}>
                  {notes(d).map((n) => (
                    <div>
                      {n.href ? (
                        <a class="kern-link" href={n.href}>
                          {n.text}
                        </a>
                      ) : (
                        n.text
                      )}
                    </div>
                  ))}
                </td>
              </tr>
            );
          })}
        </StaffTable>
      </div>
    </StaffLayout>
  );
}
