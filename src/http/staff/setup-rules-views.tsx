import { rulesOf } from '../../app/setup/edit-town-rules.ts';
import { WEEKDAY_KEYS, type TownFileInput } from '../../app/setup/town-file-schema.ts';
import { Alert, ErrorSummary, TextInput, type FormError } from '../pages/components.tsx';
import { AdminSectionNav } from './admin-section-nav.tsx';
import { rulesMessages, type RulesMessages } from './messages/setup-rules.ts';
import { CsrfField, StaffLayout, type StaffPage } from './page.tsx';
import type { FormValues } from './setup-form.tsx';
import { percentField, type RuleField } from './setup-rules-form.ts';
import { StaffTable } from './staff-table.tsx';

// What the rules page (setup-rules-pages.tsx) shows: the rules of each office at a glance, and one
// office's rules as a form in groups, each field with a short explanation.

export const RULES = '/staff/verwaltung/regeln';
type DocOffice = TownFileInput['offices'][number];

export function RulesListPage(p: { page: StaffPage; offices: DocOffice[]; intro: string; notice?: string | undefined }) {
  const { page } = p;
  const m = rulesMessages[page.lang];
  return (
    <StaffLayout page={page} title={m.title}>
      <AdminSectionNav page={page} />
      <h1 class="kern-heading-large">{m.title}</h1>
      {p.notice ? <Alert variant="success" title={p.notice} role="status" /> : null}
      <p class="kern-body">{p.intro}</p>
      <StaffTable label={m.caption} columns={[m.col.office, m.col.release, m.col.shares, m.col.walkin, m.col.reminder]}>
        {p.offices.map((o) => {
          const r = rulesOf(o);
          const day = m.weekdays[WEEKDAY_KEYS.indexOf(r.release.weekday)]!;
          return (
            <tr>
              <td>
                <a class="kern-link" href={`${RULES}/${o.id}`} aria-label={m.editLink(o.name)}>
                  {o.name}
                </a>
              </td>
              <td>{m.release(day, r.release.time, r.release.horizonDays)}</td>
              <td>{m.shares(m.percent(percentField(r.sameDayShare)), m.percent(percentField(r.phoneShare)))}</td>
              <td>{r.walkinQuota === undefined ? m.walkinDerived : m.walkinQuota(r.walkinQuota)}</td>
              <td>{m.reminder(r.reminderHours)}</td>
            </tr>
          );
        })}
      </StaffTable>
    </StaffLayout>
  );
}

type FormProps = { page: StaffPage; office: DocOffice; values: FormValues; errors: FormError[] };

export function RulesFormPage({ page, office, values, errors }: FormProps) {
  const m = rulesMessages[page.lang];
  const v = (name: string) => String(values[name] ?? '');
  const err = (field: string) => errors.find((e) => e.field === field)?.message;
  const input = (id: RuleField, field: keyof RulesMessages['fields'], numeric = true, optional = false) => (
    <TextInput
      id={id}
      label={m.fields[field].label}
      hint={m.fields[field].hint}
      value={v(id)}
      inputmode={numeric ? 'numeric' : undefined}
      optionalLabel={optional ? m.optional : undefined}
      maxlength={8}
      error={err(id)}
    />
  );
  const group = (title: string, children: unknown) => (
    <fieldset class="kern-fieldset staff-rules-group">
      <legend class="kern-heading-medium">{title}</legend>
      <div class="kern-fieldset__body staff-setup-form">{children}</div>
    </fieldset>
  );
  return (
    <StaffLayout page={page} title={m.edit(office.name)} hasErrors={errors.length > 0}>
      <p>
        <a class="kern-link" href={RULES}>
          {m.back}
        </a>
      </p>
      <h1 class="kern-heading-large">{m.edit(office.name)}</h1>
      <ErrorSummary title={page.t.site.errorTitle} errors={errors} />
      <form method="post" action={`${RULES}/${office.id}/vorschau`} novalidate class="staff-setup-form staff-rules-form">
        <CsrfField page={page} />
        {group(
          m.groups.release,
          <>
            <div class="kern-form-input">
              <label class="kern-label" for="release-weekday">
                {m.fields.releaseWeekday.label}
              </label>
              <div class="kern-hint" id="release-weekday-hinweis">
                {m.fields.releaseWeekday.hint}
              </div>
              <div class="kern-form-input__select-wrapper">
                <select
                  class="kern-form-input__select"
                  id="release-weekday"
                  name="release-weekday"
                  aria-describedby="release-weekday-hinweis"
                >
                  {WEEKDAY_KEYS.map((key, i) => (
                    <option value={key} selected={v('release-weekday') === key}>
                      {m.weekdays[i]}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            {input('release-time', 'releaseTime', false)}
            {input('horizon-days', 'horizonDays')}
          </>,
        )}
        {group(
          m.groups.sameDay,
          <>
            {input('same-day-share', 'sameDayShare', false)}
            {input('same-day-time', 'sameDayReleaseTime', false)}
          </>,
        )}
        {group(m.groups.phone, input('phone-share', 'phoneShare', false))}
        {group(
          m.groups.walkin,
          <>
            {input('walkin-quota', 'walkinQuota', true, true)}
            {input('walkin-minutes', 'walkinMinutes')}
          </>,
        )}
        {group(
          m.groups.booking,
          <>
            {input('min-lead', 'minLeadMinutes')}
            {input('checkin-early', 'checkinEarlyMinutes')}
            {input('checkin-late', 'checkinLateMinutes')}
          </>,
        )}
        {group(
          m.groups.confirm,
          <>
            <fieldset class="kern-fieldset" id="confirmation">
              <legend class="kern-label">{m.fields.confirmation.label}</legend>
              <div class="kern-fieldset__body">
                {(['email', 'none'] as const).map((value) => (
                  <div class="kern-form-check">
                    <input
                      class="kern-form-check__radio"
                      type="radio"
                      id={`confirmation-${value}`}
                      name="confirmation"
                      value={value}
                      checked={v('confirmation') === value}
                    />
                    <label class="kern-label" for={`confirmation-${value}`}>
                      {m.confirmation[value]}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
            {input('reminder-hours', 'reminderHours')}
          </>,
        )}
        {group(
          m.groups.holds,
          <>
            {input('waiting-hold', 'waitingListHoldMinutes')}
            {input('replacement-hold', 'replacementHoldHours')}
          </>,
        )}
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{m.submit}</span>
        </button>
      </form>
    </StaffLayout>
  );
}
