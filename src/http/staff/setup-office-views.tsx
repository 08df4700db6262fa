import type { TownFileInput } from '../../app/setup/town-file-schema.ts';
import { Alert, ErrorSummary, FieldError, TextInput, type FormError } from '../pages/components.tsx';
import { AdminSectionNav } from './admin-section-nav.tsx';
import { officeMessages } from './messages/setup-offices.ts';
import { CsrfField, StaffLayout, type StaffPage } from './page.tsx';
import { Checkbox, TextArea, type FormValues } from './setup-form.tsx';
import { StaffTable } from './staff-table.tsx';

// What the offices page (setup-office-pages.tsx) shows: the list and the form of one office.

export const OFFICES = '/staff/verwaltung/standorte';
export const FACTS = ['stepFreeEntrance', 'lift', 'accessibleToilet', 'hearingLoop'] as const;
type DocOffice = TownFileInput['offices'][number];

export function OfficeListPage(p: {
  page: StaffPage;
  offices: (DocOffice & { serviceCount: number })[];
  canEdit: boolean;
  notice?: string | undefined;
}) {
  const { page } = p;
  const m = officeMessages[page.lang];
  return (
    <StaffLayout page={page} title={m.title}>
      <AdminSectionNav page={page} />
      <h1 class="kern-heading-large">{m.title}</h1>
      {p.notice ? <Alert variant="success" title={p.notice} role="status" /> : null}
      <p class="kern-body">{p.canEdit ? m.intro : m.introLead}</p>
      <StaffTable label={m.caption} columns={[m.col.office, m.col.contact, m.col.counters, m.col.services]}>
        {p.offices.map((o) => (
          <tr>
            <td>
              <a class="kern-link" href={`${OFFICES}/${o.id}`} aria-label={p.canEdit ? m.edit(o.name) : undefined}>
                {o.name}
              </a>
              <br />
              <span class="kern-body kern-body--small">{o.address}</span>
            </td>
            <td>{[o.phone, o.email].filter(Boolean).join(', ')}</td>
            <td class="staff-nowrap">{m.counters(o.counters.length)}</td>
            <td class="staff-nowrap">{m.services(o.serviceCount)}</td>
          </tr>
        ))}
      </StaffTable>
    </StaffLayout>
  );
}

export function OfficeFormPage(p: {
  page: StaffPage;
  office: DocOffice;
  /** The number a counter added here gets. */
  newCounter: number;
  values: FormValues;
  services: { id: string; name: string }[];
  errors: FormError[];
  canEdit: boolean;
}) {
  const { page, values, errors, office } = p;
  const m = officeMessages[page.lang];
  const f = m.form;
  const v = (name: string) => [values[name] ?? ''].flat().join('\n');
  const err = (field: string) => errors.find((e) => e.field === field)?.message;
  const ServiceChoice = ({ legend, field }: { legend: string; field: string }) => (
    <fieldset class="kern-fieldset">
      <legend class="kern-label">{legend}</legend>
      <div class="kern-fieldset__body">
        {p.services.map((s) => (
          <Checkbox
            id={`${field}-${s.id}`}
            name={`${field}-service`}
            value={s.id}
            label={s.name}
            checked={[values[`${field}-service`] ?? []].flat().includes(s.id)}
          />
        ))}
      </div>
    </fieldset>
  );
  const input = (id: string, label: string, extra: { hint?: string; optional?: boolean; type?: 'email' | 'tel' } = {}) => (
    <TextInput
      id={id}
      label={label}
      value={v(id)}
      hint={extra.hint}
      type={extra.type}
      optionalLabel={extra.optional ? f.optional : undefined}
      maxlength={200}
      error={err(id)}
    />
  );
  const area = (id: string, label: string) => (
    <TextArea id={id} label={label} optionalLabel={f.optional} value={v(id)} maxlength={2000} error={err(id)} />
  );
  return (
    <StaffLayout page={page} title={m.edit(office.name)} hasErrors={errors.length > 0}>
      <p>
        <a class="kern-link" href={OFFICES}>
          {m.back}
        </a>
      </p>
      <h1 class="kern-heading-large">{p.canEdit ? m.edit(office.name) : office.name}</h1>
      {p.canEdit ? null : <Alert variant="info" title={m.readOnly} />}
      <ErrorSummary title={page.t.site.errorTitle} errors={errors} />
      <form method="post" action={`${OFFICES}/${office.id}/vorschau`} novalidate>
        <CsrfField page={page} />
        <fieldset class="kern-fieldset staff-setup-form" disabled={!p.canEdit || undefined}>
          <legend class="kern-sr-only">{office.name}</legend>
          {input('name', f.name)}
          {input('address', f.address, { hint: f.addressHint })}
          {input('phone', f.phone, { optional: true, type: 'tel' })}
          {input('email', f.email, { optional: true, type: 'email' })}
          {area('directions-de', f.directionsDe)}
          {area('directions-en', f.directionsEn)}
          {area('transport-de', f.transportDe)}
          {area('transport-en', f.transportEn)}
          {area('access-de', f.accessDe)}
          {area('access-en', f.accessEn)}
          {FACTS.map((fact) => (
            <fieldset class="kern-fieldset">
              <legend class="kern-label">{f.facts[fact]}</legend>
              <div class="kern-fieldset__body kern-fieldset__body--horizontal">
                {(
                  [
                    ['', f.unstated],
                    ['ja', f.yes],
                    ['nein', f.no],
                  ] as const
                ).map(([value, label]) => (
                  <div class="kern-form-check">
                    <input
                      class="kern-form-check__radio"
                      type="radio"
                      id={`${fact}-${value || 'offen'}`}
                      name={fact}
                      value={value}
                      checked={v(fact) === value}
                    />
                    <label class="kern-label" for={`${fact}-${value || 'offen'}`}>
                      {label}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          ))}
          <h2 class="kern-heading-medium" id="counters">
            {f.countersTitle}
          </h2>
          <FieldError id="counters-fehler" message={err('counters')} />
          {office.counters.map((c) => (
            <div class="setup-counter">
              {input(`counter-${c.number}-name`, f.counterName(c.number), { optional: true })}
              <ServiceChoice legend={f.counterServices(c.number)} field={`counter-${c.number}`} />
              <Checkbox
                id={`counter-${c.number}-remove`}
                label={f.counterRemove(c.number)}
                checked={v(`counter-${c.number}-remove`) === 'ja'}
              />
            </div>
          ))}
          {p.canEdit ? (
            <div class="setup-counter">
              <Checkbox id="counter-new" label={f.counterAdd(p.newCounter)} hint={f.counterAddHint} checked={v('counter-new') === 'ja'} />
              {input('counter-new-name', f.counterName(p.newCounter), { optional: true })}
              <ServiceChoice legend={f.counterServices(p.newCounter)} field="counter-new" />
            </div>
          ) : null}
          {p.canEdit ? (
            <button class="kern-btn kern-btn--primary" type="submit">
              <span class="kern-label">{f.submit}</span>
            </button>
          ) : null}
        </fieldset>
      </form>
    </StaffLayout>
  );
}
