import type { AuditLogPage as AuditResult, AuditPerson } from '../../app/staff/read-audit-log.ts';
import { Alert, describedBy, ErrorSummary, errorFor, FieldFrame, inputClass, type FormError } from '../pages/components.tsx';
import { AdminSectionNav } from './admin-section-nav.tsx';
import { actionText, actorText, changeLines, subjectText, type AuditWords } from './audit-log-text.ts';
import { formatWhen } from './dates.ts';
import { auditLogMessages, type AuditLogMessages } from './messages/audit-log.ts';
import { StaffLayout, type StaffPage } from './page.tsx';
import { StaffTable } from './staff-table.tsx';

const BASE = '/staff/verwaltung/protokoll';

/** The filter as the form shows it: what was typed, also when it could not be read. */
export type AuditFilterForm = { person: string; office: string; action: string; from: string; to: string };

type Props = {
  page: StaffPage;
  form: AuditFilterForm;
  errors: FormError[];
  persons: AuditPerson[];
  offices: { id: string; name: string }[];
  actions: string[];
  result: AuditResult;
  words: AuditWords;
  isAdmin: boolean;
  tooMany: boolean;
};

/** The query string of the filter, plus a cursor: links keep the filter. */
function query(form: AuditFilterForm, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  const values: [string, string][] = [
    ['person', form.person],
    ['standort', form.office],
    ['aktion', form.action],
    ['von', form.from],
    ['bis', form.to],
    ...Object.entries(extra),
  ];
  for (const [key, value] of values) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function AuditLogPage(p: Props) {
  const { page } = p;
  const m = auditLogMessages[page.lang];
  return (
    <StaffLayout page={page} title={m.title} hasErrors={p.errors.length > 0}>
      <AdminSectionNav page={page} />
      <h1 class="kern-heading-large">{m.title}</h1>
      <ErrorSummary title={page.t.site.errorTitle} errors={p.errors} />
      {p.tooMany ? <Alert variant="warning" title={m.tooMany(new Intl.NumberFormat(page.lang).format(20_000))} role="alert" /> : null}
      <p class="kern-body">{m.intro}</p>
      {p.isAdmin ? null : <p class="kern-body">{m.leadScope}</p>}
      <FilterForm {...p} m={m} />
      <p class="kern-body staff-noprint">
        <a class="kern-link" href={`${BASE}.csv${query(p.form)}`} download>
          {m.csv}
        </a>
      </p>
      {p.result.entries.length === 0 ? <p class="kern-body">{m.none}</p> : <Entries {...p} m={m} />}
      <Pager {...p} m={m} />
    </StaffLayout>
  );
}

function Select({ id, label, children }: { id: string; label: string; children: unknown }) {
  return (
    <div class="kern-form-input">
      <label class="kern-label" for={id}>
        {label}
      </label>
      <div class="kern-form-input__select-wrapper">
        <select class="kern-form-input__select" id={id} name={id}>
          {children}
        </select>
      </div>
    </div>
  );
}

function DayField({ id, label, value, error }: { id: string; label: string; value: string; error: string | undefined }) {
  return (
    <FieldFrame id={id} label={label} error={error}>
      <input
        class={inputClass(error)}
        type="date"
        id={id}
        name={id}
        value={value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy({ id, error })}
      />
    </FieldFrame>
  );
}

function FilterForm(p: Props & { m: AuditLogMessages }) {
  const { m, form } = p;
  // Actions the log holds that have no group yet (written by a newer part) stay choosable.
  const named = new Set(m.groups.flatMap((g) => Object.keys(g.actions)));
  const others = p.actions.filter((a) => !named.has(a));
  return (
    <form method="get" action={BASE} class="staff-noprint" aria-labelledby="filter-titel">
      <h2 class="kern-heading-small" id="filter-titel">
        {m.filter}
      </h2>
      <div class="staff-toolbar">
        <Select id="person" label={m.person}>
          <option value="">{m.anyPerson}</option>
          {p.persons.map((person) => (
            <option value={person.id} selected={form.person === person.id}>
              {person.name === person.email ? person.email : `${person.name} (${person.email})`}
            </option>
          ))}
        </Select>
        <Select id="standort" label={m.office}>
          <option value="">{m.anyOffice}</option>
          {p.offices.map((o) => (
            <option value={o.id} selected={form.office === o.id}>
              {o.name}
            </option>
          ))}
          <option value="none" selected={form.office === 'none'}>
            {m.noOffice}
          </option>
        </Select>
        <Select id="aktion" label={m.action}>
          <option value="">{m.anyAction}</option>
          {m.groups.map((g) => (
            <optgroup label={g.label}>
              {Object.entries(g.actions).map(([code, label]) => (
                <option value={code} selected={form.action === code}>
                  {label}
                </option>
              ))}
            </optgroup>
          ))}
          {others.length ? (
            <optgroup label={m.otherActions}>
              {others.map((code) => (
                <option value={code} selected={form.action === code}>
                  {actionText(code, p.page.lang)}
                </option>
              ))}
            </optgroup>
          ) : null}
        </Select>
        <DayField id="von" label={m.from} value={form.from} error={errorFor(p.errors, 'von')} />
        <DayField id="bis" label={m.to} value={form.to} error={errorFor(p.errors, 'bis')} />
        <button class="kern-btn kern-btn--secondary" type="submit">
          <span class="kern-label">{m.show}</span>
        </button>
        <a class="kern-link" href={BASE}>
          {m.reset}
        </a>
      </div>
    </form>
  );
}

function Entries(p: Props & { m: AuditLogMessages }) {
  const { m, page, words } = p;
  return (
    <StaffTable label={m.caption} columns={[m.col.at, m.col.person, m.col.action, m.col.office, m.col.subject, m.col.change]}>
      {p.result.entries.map((e) => {
        const lines = changeLines(e, words);
        return (
          <tr>
            <td class="time">{formatWhen(e.at, page.lang)}</td>
            <td>{actorText(e.actor, page.lang)}</td>
            <td>
              {actionText(e.action, page.lang)}
              {e.viaBranch ? <span class="staff-audit-note"> ({m.viaBranch})</span> : null}
            </td>
            <td>{e.officeName ?? m.empty}</td>
            <td>{subjectText(e.subject, page.lang)}</td>
            <td>
              {lines.length === 0 ? (
                m.empty
              ) : lines.length === 1 ? (
                lines[0]
              ) : (
                <ul class="staff-audit-changes">
                  {lines.map((line) => (
                    <li>{line}</li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        );
      })}
    </StaffTable>
  );
}

function Pager(p: Props & { m: AuditLogMessages }) {
  const { m, result, form } = p;
  if (!result.newer && !result.older) return null;
  return (
    <nav class="staff-pager staff-noprint" aria-label={m.pages}>
      {result.newer ? (
        <a class="kern-link" href={`${BASE}${query(form, { nach: result.newer })}`} rel="prev">
          ← {m.newer}
        </a>
      ) : null}
      {result.older ? (
        <a class="kern-link" href={`${BASE}${query(form, { vor: result.older })}`} rel="next">
          {m.older} →
        </a>
      ) : null}
    </nav>
  );
}
