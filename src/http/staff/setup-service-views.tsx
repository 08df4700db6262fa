import type { TownFileInput } from '../../app/setup/town-file-schema.ts';
import { Alert, ErrorSummary, FieldError, TextInput, type FormError } from '../pages/components.tsx';
import { serviceMessages } from './messages/setup-services.ts';
import { CsrfField, StaffLayout, type StaffPage } from './page.tsx';
import { Checkbox, euros, TextArea, type FormValues } from './setup-form.tsx';
import { StaffTable } from './staff-table.tsx';
import { AdminSectionNav } from './admin-section-nav.tsx';
import { townQuery } from './setup-town.tsx';

// What the services page (setup-service-pages.tsx) shows: the list and the form of one service.
// The preview is setup-preview-view.tsx, shared with the other set-up pages.

export const SERVICES = '/staff/verwaltung/dienstleistungen';
type DocService = TownFileInput['services'][number];
export type OfficeName = { id: string; name: string };

export function ServiceListPage(p: {
  page: StaffPage;
  services: (DocService & { officeIds: string[] })[];
  offices: OfficeName[];
  canEdit: boolean;
  notice?: string | undefined;
  /** The town whose services are listed, on a Kreis (#20); undefined with one town. */
  town?: string | undefined;
}) {
  const { page } = p;
  const m = serviceMessages[page.lang];
  const name = (s: DocService) => (page.lang === 'en' ? s.name.en : s.name.de);
  return (
    <StaffLayout page={page} title={m.title}>
      <AdminSectionNav page={page} />
      <h1 class="kern-heading-large">{m.title}</h1>
      {p.notice ? <Alert variant="success" title={p.notice} role="status" /> : null}
      <p class="kern-body">{p.canEdit ? m.intro : m.introLead}</p>
      {p.canEdit ? (
        <p>
          <a class="kern-btn kern-btn--primary" href={`${SERVICES}/neu${townQuery(p.town)}`}>
            <span class="kern-label">{m.create}</span>
          </a>
        </p>
      ) : null}
      <StaffTable label={m.caption} columns={[m.col.name, m.col.minutes, m.col.fee, m.col.booking, m.col.maxPersons, m.col.offices]}>
        {p.services.map((s) => {
          const offices = p.offices.filter((o) => s.officeIds.includes(o.id)).map((o) => o.name);
          const rules = s.feeRules?.length ?? 0;
          return (
            <tr>
              <td>
                <a class="kern-link" href={`${SERVICES}/${s.id}`} aria-label={(p.canEdit ? m.edit : m.show)(name(s))}>
                  {s.name.de}
                </a>
                <br />
                <span class="kern-body kern-body--small" lang="en">
                  {s.name.en}
                </span>
              </td>
              <td class="staff-nowrap">{`${s.minutes.first} / ${s.minutes.further ?? s.minutes.first}`}</td>
              <td class="staff-nowrap">
                {s.feeCents === undefined ? m.free : euros(s.feeCents, page.lang)}
                {rules > 0 ? ` ${m.feeRules(rules)}` : null}
              </td>
              <td>{s.online === false ? m.phoneOnly : m.online}</td>
              <td>{s.maxPersons ?? 5}</td>
              <td>{offices.length ? offices.join(', ') : m.noOffice}</td>
            </tr>
          );
        })}
      </StaffTable>
    </StaffLayout>
  );
}

export function ServiceFormPage(p: {
  page: StaffPage;
  /** null: a new service. */
  original: string | null;
  title: string;
  values: FormValues;
  offices: OfficeName[];
  feeRules: number;
  errors: FormError[];
  canEdit: boolean;
  /** The town whose services these are, on a Kreis (#20): kept in the form; undefined with one town. */
  town?: string | undefined;
}) {
  const { page, values, errors } = p;
  const m = serviceMessages[page.lang];
  const f = m.form;
  const v = (name: string) => [values[name] ?? ''].flat().join('\n');
  const err = (field: string) => errors.find((e) => e.field === field)?.message;
  const input = (id: string, label: string, extra: { hint?: string; optional?: boolean; numeric?: boolean; maxlength?: number } = {}) => (
    <TextInput
      id={id}
      label={label}
      value={v(id)}
      hint={extra.hint}
      optionalLabel={extra.optional ? f.optional : undefined}
      inputmode={extra.numeric ? 'numeric' : undefined}
      maxlength={extra.maxlength ?? 120}
      error={err(id)}
    />
  );
  const officeError = err('offices');
  return (
    <StaffLayout page={page} title={p.title} hasErrors={errors.length > 0}>
      <p>
        <a class="kern-link" href={`${SERVICES}${townQuery(p.town)}`}>
          {m.back}
        </a>
      </p>
      <h1 class="kern-heading-large">{p.title}</h1>
      {p.canEdit ? null : <Alert variant="info" title={m.readOnly} />}
      <ErrorSummary title={page.t.site.errorTitle} errors={errors} />
      <form method="post" action={`${SERVICES}/vorschau`} novalidate>
        <CsrfField page={page} />
        {p.original ? <input type="hidden" name="original" value={p.original} /> : null}
        {p.town ? <input type="hidden" name="stadt" value={p.town} /> : null}
        <fieldset class="kern-fieldset staff-setup-form" disabled={!p.canEdit || undefined}>
          <legend class="kern-sr-only">{p.title}</legend>
          {p.original ? (
            <p class="kern-body">
              {f.id}: <code>{p.original}</code>
              <input type="hidden" name="id" value={p.original} />
            </p>
          ) : (
            input('id', f.id, { hint: f.idHint, maxlength: 40 })
          )}
          {input('name-de', f.nameDe)}
          {input('name-en', f.nameEn)}
          <TextArea
            id="description-de"
            label={f.descriptionDe}
            optionalLabel={f.optional}
            value={v('description-de')}
            maxlength={2000}
            error={err('description-de')}
          />
          <TextArea
            id="description-en"
            label={f.descriptionEn}
            optionalLabel={f.optional}
            value={v('description-en')}
            maxlength={2000}
            error={err('description-en')}
          />
          {input('minutes-first', f.minutesFirst, { numeric: true, maxlength: 3 })}
          {input('minutes-further', f.minutesFurther, { hint: f.minutesFurtherHint, optional: true, numeric: true, maxlength: 3 })}
          {input('fee', f.fee, { hint: f.feeHint, optional: true, maxlength: 12 })}
          {p.feeRules > 0 ? <p class="kern-body">{f.feeRulesKept(p.feeRules)}</p> : null}
          <TextArea
            id="documents-de"
            label={f.documentsDe}
            hint={f.documentsHint}
            value={v('documents-de')}
            rows={4}
            error={err('documents-de')}
          />
          <TextArea
            id="documents-en"
            label={f.documentsEn}
            hint={f.documentsHint}
            value={v('documents-en')}
            rows={4}
            error={err('documents-en')}
          />
          <Checkbox id="online" label={f.online} hint={f.onlineHint} checked={v('online') === 'ja'} />
          <FieldError id="online-fehler" message={err('online')} />
          {input('max-persons', f.maxPersons, { numeric: true, maxlength: 2 })}
          <fieldset class={`kern-fieldset${officeError ? ' kern-fieldset--error' : ''}`}>
            <legend class="kern-label">{f.offices}</legend>
            <FieldError id="offices-fehler" message={officeError} />
            <div class="kern-fieldset__body">
              {p.offices.map((o, i) => (
                <Checkbox
                  id={i === 0 ? 'offices' : `office-${o.id}`}
                  name="office"
                  value={o.id}
                  label={o.name}
                  checked={[values.office ?? []].flat().includes(o.id)}
                />
              ))}
            </div>
          </fieldset>
          {p.canEdit ? (
            <div class="staff-confirm">
              <button class="kern-btn kern-btn--primary" type="submit">
                <span class="kern-label">{f.submit}</span>
              </button>
              {p.original ? (
                <button class="kern-btn kern-btn--secondary" type="submit" name="entfernen" value="ja">
                  <span class="kern-label">{f.remove}</span>
                </button>
              ) : null}
            </div>
          ) : null}
        </fieldset>
      </form>
    </StaffLayout>
  );
}
