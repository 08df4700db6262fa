import type { DocHours } from '../../app/setup/edit-town-hours.ts';
import { WEEKDAY_KEYS, type TownFileInput } from '../../app/setup/town-file-schema.ts';
import { Alert, ErrorSummary, FieldError, TextInput, type FormError } from '../pages/components.tsx';
import { AdminSectionNav } from './admin-section-nav.tsx';
import { formatDay, monthName } from './dates.ts';
import { hoursMessages } from './messages/setup-hours.ts';
import { CsrfField, StaffLayout, type StaffPage } from './page.tsx';
import { Checkbox, type FormValues } from './setup-form.tsx';
import { dayField, readDay } from './setup-hours-form.ts';
import { StaffTable } from './staff-table.tsx';

// What the hours page (setup-hours-pages.tsx) shows: the offices, an office's week grid, its form,
// the month view and the exception form.

export const HOURS = '/staff/verwaltung/oeffnungszeiten';
type DocOffice = TownFileInput['offices'][number];

/** „08:00–12:00: 2 Terminschalter (bis 30.06.2027)“. */
function lineText(page: StaffPage, h: DocHours): string {
  const m = hoursMessages[page.lang];
  const when = [
    h.everyWeeks && h.everyWeeks > 1 ? m.everyWeeks(h.everyWeeks, dayField(h.startingFrom)) : null,
    h.validFrom ? m.validFrom(dayField(h.validFrom)) : null,
    h.validTo ? m.validTo(dayField(h.validTo)) : null,
  ].filter(Boolean);
  return `${h.from}–${h.to}: ${m.counters(h.appointmentCounters, h.walkinCounters ?? 0)}${when.length ? ` (${when.join(', ')})` : ''}`;
}

export function HoursListPage(p: { page: StaffPage; offices: DocOffice[]; intro: string }) {
  const { page } = p;
  const m = hoursMessages[page.lang];
  return (
    <StaffLayout page={page} title={m.title}>
      <AdminSectionNav page={page} />
      <h1 class="kern-heading-large">{m.title}</h1>
      <p class="kern-body">{p.intro}</p>
      <StaffTable label={m.caption} columns={[m.col.office, m.col.plan, m.col.exceptions]}>
        {p.offices.map((o) => (
          <tr>
            <td>
              <a class="kern-link" href={`${HOURS}/${o.id}`}>
                {o.name}
              </a>
            </td>
            <td class="staff-nowrap">{m.lines(o.hours.length)}</td>
            <td class="staff-nowrap">{m.exceptionCount((o.exceptions ?? []).length)}</td>
          </tr>
        ))}
      </StaffTable>
    </StaffLayout>
  );
}

export function HoursOfficePage(p: { page: StaffPage; office: DocOffice; canEdit: boolean; notice?: string | undefined }) {
  const { page, office } = p;
  const m = hoursMessages[page.lang];
  return (
    <StaffLayout page={page} title={`${m.title}: ${office.name}`}>
      <AdminSectionNav page={page} />
      <p>
        <a class="kern-link" href={HOURS}>
          {m.back}
        </a>
      </p>
      <h1 class="kern-heading-large">{office.name}</h1>
      {p.notice ? <Alert variant="success" title={p.notice} role="status" /> : null}
      <h2 class="kern-heading-medium">{m.week.title}</h2>
      <StaffTable label={m.week.caption} columns={[m.week.day, m.week.staffed]}>
        {WEEKDAY_KEYS.map((key, i) => {
          const lines = office.hours.filter((h) => h.days.includes(key));
          return (
            <tr>
              <th scope="row">{m.weekdays[i]}</th>
              <td>{lines.length ? lines.map((h) => <div>{lineText(page, h)}</div>) : m.week.closed}</td>
            </tr>
          );
        })}
      </StaffTable>
      <div class="staff-confirm">
        <a class="kern-btn kern-btn--primary" href={`${HOURS}/${office.id}/monat`}>
          <span class="kern-label">{m.week.month}</span>
        </a>
        {p.canEdit ? (
          <a class="kern-btn kern-btn--secondary" href={`${HOURS}/${office.id}/wochenplan`}>
            <span class="kern-label">{m.week.edit}</span>
          </a>
        ) : (
          <p class="kern-body">{m.notYours}</p>
        )}
      </div>
    </StaffLayout>
  );
}

export function HoursFormPage(p: { page: StaffPage; office: DocOffice; values: FormValues; errors: FormError[] }) {
  const { page, values, errors, office } = p;
  const m = hoursMessages[page.lang];
  const f = m.form;
  const v = (name: string) => String(values[name] ?? '');
  const err = (field: string) => errors.find((e) => e.field === field)?.message;
  const count = Number(values.lines ?? 0);
  const input = (id: string, label: string, extra: { hint?: string; optional?: boolean; numeric?: boolean } = {}) => (
    <TextInput
      id={id}
      label={label}
      value={v(id)}
      hint={extra.hint}
      optionalLabel={extra.optional ? f.optional : undefined}
      inputmode={extra.numeric ? 'numeric' : undefined}
      maxlength={10}
      error={err(id)}
    />
  );
  return (
    <StaffLayout page={page} title={f.title(office.name)} hasErrors={errors.length > 0}>
      <p>
        <a class="kern-link" href={`${HOURS}/${office.id}`}>
          {m.backToOffice(office.name)}
        </a>
      </p>
      <h1 class="kern-heading-large">{f.title(office.name)}</h1>
      <ErrorSummary title={page.t.site.errorTitle} errors={errors} />
      <p class="kern-body">{f.intro}</p>
      <form method="post" action={`${HOURS}/${office.id}/wochenplan/vorschau`} novalidate>
        <CsrfField page={page} />
        <input type="hidden" name="lines" value={String(count)} />
        <div class="staff-setup-form">
          {Array.from({ length: count }, (_, i) => {
            const at = (name: string) => `line-${i}-${name}`;
            const days = [values[at('day')] ?? []].flat();
            const isNew = i >= count - 2 && days.length === 0 && !v(at('from'));
            const rare = ['valid-from', 'valid-to', 'starting'].some((n) => v(at(n))) || !['', '1'].includes(v(at('every')));
            const rareError = ['valid-from', 'valid-to', 'every', 'starting'].some((n) => err(at(n)));
            return (
              <div class="staff-hours-line" role="group" aria-labelledby={`${at('titel')}`}>
                <h2 class="kern-heading-small" id={at('titel')}>
                  {isNew ? f.newLine : f.line(i + 1)}
                </h2>
                <fieldset class="kern-fieldset">
                  <legend class="kern-label">{f.days}</legend>
                  <FieldError id={`${at('day')}-mon-fehler`} message={err(`${at('day')}-mon`)} />
                  <div class="kern-fieldset__body kern-fieldset__body--horizontal staff-hours-days">
                    {WEEKDAY_KEYS.map((key, d) => (
                      <Checkbox
                        id={`${at('day')}-${key}`}
                        name={at('day')}
                        value={key}
                        label={m.weekdaysShort[d]!}
                        checked={days.includes(key)}
                      />
                    ))}
                  </div>
                </fieldset>
                <div class="staff-hours-pair">
                  {input(at('from'), f.from, { hint: f.timeHint })}
                  {input(at('to'), f.to, { hint: f.timeHint })}
                </div>
                <div class="staff-hours-pair">
                  {input(at('appointment'), f.appointment, { numeric: true })}
                  {input(at('walkin'), f.walkin, { numeric: true })}
                </div>
                {/* Validity and every n-th week are rarely changed: folded away unless set (works without JavaScript). */}
                <details class="staff-hours-more" open={rare || rareError || undefined}>
                  <summary class="kern-link">{f.more}</summary>
                  <div class="staff-hours-pair">
                    {input(at('valid-from'), f.validFrom, { hint: f.dateHint, optional: true })}
                    {input(at('valid-to'), f.validTo, { hint: f.dateHint, optional: true })}
                  </div>
                  <div class="staff-hours-pair">
                    {input(at('every'), f.everyWeeks, { hint: f.everyWeeksHint, numeric: true })}
                    {input(at('starting'), f.startingFrom, { hint: f.startingFromHint, optional: true })}
                  </div>
                </details>
                {isNew ? null : <Checkbox id={at('remove')} label={f.remove} checked={v(at('remove')) === 'ja'} />}
              </div>
            );
          })}
          <button class="kern-btn kern-btn--primary" type="submit">
            <span class="kern-label">{f.submit}</span>
          </button>
        </div>
      </form>
    </StaffLayout>
  );
}

export function ExceptionFormPage(p: { page: StaffPage; office: DocOffice; values: FormValues; regular: number; errors: FormError[] }) {
  const { page, values, errors, office } = p;
  const m = hoursMessages[page.lang];
  const f = m.exception;
  const v = (name: string) => String(values[name] ?? '');
  const err = (field: string) => errors.find((e) => e.field === field)?.message;
  const existing = v('at') !== '';
  const iso = readDay(v('date'));
  const title = existing ? f.change : f.title(iso ? formatDay(iso, page.lang) : v('date'));
  const input = (id: string, label: string, extra: { hint?: string; optional?: boolean; numeric?: boolean; max?: number } = {}) => (
    <TextInput
      id={id}
      label={label}
      value={v(id)}
      hint={extra.hint}
      optionalLabel={extra.optional ? m.form.optional : undefined}
      inputmode={extra.numeric ? 'numeric' : undefined}
      maxlength={extra.max ?? 10}
      error={err(id)}
    />
  );
  return (
    <StaffLayout page={page} title={`${title} – ${office.name}`} hasErrors={errors.length > 0}>
      <p>
        <a class="kern-link" href={`${HOURS}/${office.id}/monat${iso ? `?monat=${iso.slice(0, 7)}` : ''}`}>
          {iso ? m.backToMonth(monthName(iso.slice(0, 7), page.lang)) : m.backToOffice(office.name)}
        </a>
      </p>
      <h1 class="kern-heading-large">{title}</h1>
      <p class="kern-body">{office.name}</p>
      <ErrorSummary title={page.t.site.errorTitle} errors={errors} />
      <p class="kern-body">{f.intro}</p>
      <form method="post" action={`${HOURS}/${office.id}/ausnahme/vorschau`} novalidate>
        <CsrfField page={page} />
        <input type="hidden" name="at" value={v('at')} />
        <div class="staff-setup-form">
          {input('date', f.date)}
          {input('appointment', f.appointment, { hint: f.appointmentHint(p.regular), numeric: true })}
          {input('grund', f.reason, { hint: f.reasonHint, max: 200 })}
          {input('walkin', f.walkin, { hint: f.walkinHint, optional: true, numeric: true })}
          <div class="staff-hours-pair">
            {input('from', f.from, { hint: f.timesHint, optional: true })}
            {input('to', f.to, { hint: f.timesHint, optional: true })}
          </div>
          {input('until', f.until, { hint: f.untilHint, optional: true })}
          {existing ? <Checkbox id="entfernen" label={f.remove} checked={v('entfernen') === 'ja'} /> : null}
          <button class="kern-btn kern-btn--primary" type="submit">
            <span class="kern-label">{f.submit}</span>
          </button>
        </div>
      </form>
    </StaffLayout>
  );
}
