import type { MessageLanguage } from '../../app/messaging/appointment-messages.ts';
import type { OfficeFacts } from '../../app/messaging/closure-messages.ts';
import { sampleMessage } from '../../app/messaging/message-samples.ts';
import { asTemplate, MESSAGE_LANGUAGES } from '../../app/messaging/message-templates.ts';
import {
  FIELD_MAX_LENGTH,
  fieldsOf,
  MESSAGE_KIND_SPECS,
  MESSAGE_KINDS,
  smsSegments,
  type MessageKind,
} from '../../domain/message-template.ts';
import { Alert, ErrorSummary, FieldError, type FormError } from '../pages/components.tsx';
import { AdminSectionNav } from './admin-section-nav.tsx';
import { templateMessages } from './messages/messaging-templates.ts';
import { CsrfField, StaffLayout, type StaffPage } from './page.tsx';
import { StaffTable } from './staff-table.tsx';

// What the texts pages (messaging-template-pages.tsx) show: the list of citizen messages, and one
// message's wording in German and English with its placeholders and the preview of a sample.

export type TemplateValues = { reason: string; texts: Record<MessageLanguage, { intro: string; sms: string }> };

export function TemplateListPage({ page, own, href }: { page: StaffPage; own: Set<MessageKind>; href: (kind: MessageKind) => string }) {
  const m = templateMessages[page.lang];
  return (
    <StaffLayout page={page} title={m.listTitle}>
      <AdminSectionNav page={page} />
      <h1 class="kern-heading-large">{m.listTitle}</h1>
      <p class="kern-body">{m.listIntro}</p>
      <StaffTable label={m.listTitle} columns={[m.kindColumn, m.channelColumn, m.stateColumn]}>
        {MESSAGE_KINDS.map((kind) => (
          <tr>
            <td>
              <a class="kern-link" href={href(kind)}>
                {m.kinds[kind].name}
              </a>
              <br />
              <span class="kern-body kern-body--small">{m.kinds[kind].when}</span>
            </td>
            <td>{fieldsOf(kind).includes('sms') ? m.channels.both : m.channels.mail}</td>
            <td>{own.has(kind) ? m.ownText : m.builtInText}</td>
          </tr>
        ))}
      </StaffTable>
    </StaffLayout>
  );
}

type PageProps = {
  page: StaffPage;
  kind: MessageKind;
  action: string;
  values: TemplateValues;
  office: OfficeFacts;
  now: number;
  publicUrl: string;
  notice: string | null;
  errors: FormError[];
  canSave: boolean;
};

export function TemplatePage({ page, kind, action, values, office, now, publicUrl, notice, errors, canSave }: PageProps) {
  const m = templateMessages[page.lang];
  const spec = MESSAGE_KIND_SPECS[kind];
  const fields = fieldsOf(kind);
  const title = m.title(m.kinds[kind].name);
  const area = (id: string, label: string, hint: string | null, value: string, rows: number, maxlength: number) => {
    const error = errors.find((e) => e.field === id)?.message;
    const described = ['platzhalter', hint ? `${id}-hinweis` : null, error ? `${id}-fehler` : null].filter(Boolean).join(' ');
    return (
      <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
        <label class="kern-label" for={id}>
          {label}
        </label>
        {hint ? (
          <p class="kern-hint" id={`${id}-hinweis`}>
            {hint}
          </p>
        ) : null}
        <textarea
          class={`kern-form-input__input template-area${error ? ' kern-form-input__input--error' : ''}`}
          id={id}
          name={id}
          rows={rows}
          maxlength={maxlength}
          aria-describedby={described}
          aria-invalid={error ? 'true' : undefined}
        >
          {value}
        </textarea>
        <FieldError id={`${id}-fehler`} message={error} />
      </div>
    );
  };
  const required = (field: 'intro' | 'sms') => {
    const names = spec.fields[field]?.required ?? [];
    return names.length > 0 ? m.requiredHint([...names]) : null;
  };
  return (
    <StaffLayout page={page} title={title} hasErrors={errors.length > 0}>
      <AdminSectionNav page={page} />
      <p class="kern-body">
        <a class="kern-link" href="/staff/verwaltung/texte">
          {m.back}
        </a>
      </p>
      <h1 class="kern-heading-large">{title}</h1>
      {notice ? <Alert variant="success" title={notice} role="status" /> : null}
      <ErrorSummary title={m.errorTitle} errors={errors} />
      <p class="kern-body">{m.kinds[kind].when}</p>
      <p class="kern-body">
        {m.intro} {m.kinds[kind].adds}
      </p>
      {canSave ? null : <Alert variant="info" title={m.previewOnly} />}
      <div id="platzhalter">
        <h2 class="kern-heading-small">{m.placeholderTitle}</h2>
        <ul class="kern-list template-placeholders">
          {spec.placeholders.map((name) => {
            const isRequired = fields.some((f) => spec.fields[f]?.required.includes(name));
            return (
              <li>
                <code>{`{${name}}`}</code> {m.placeholder[name] ?? name}
                {isRequired ? ` (${m.required})` : null}
              </li>
            );
          })}
        </ul>
      </div>
      <form method="post" action={action} novalidate>
        <CsrfField page={page} />
        {MESSAGE_LANGUAGES.map((l) => (
          <fieldset class="kern-fieldset">
            <legend class="kern-label">{m.language[l]}</legend>
            <div class="kern-fieldset__body">
              {area(`intro-${l}`, m.introField(m.language[l]), required('intro'), values.texts[l].intro, 6, FIELD_MAX_LENGTH.intro)}
              {fields.includes('sms')
                ? area(`sms-${l}`, m.smsField(m.language[l]), required('sms'), values.texts[l].sms, 3, FIELD_MAX_LENGTH.sms)
                : null}
            </div>
          </fieldset>
        ))}
        {kind === 'closure_notice' ? (
          <div class="kern-form-input">
            <label class="kern-label" for="grund">
              {m.reason}
            </label>
            <input class="kern-form-input__input" type="text" id="grund" name="grund" value={values.reason} maxlength={200} />
          </div>
        ) : null}
        <div class="closure-actions">
          <button class="kern-btn kern-btn--secondary" type="submit" name="aktion" value="vorschau">
            <span class="kern-label">{m.preview}</span>
          </button>
          {canSave ? (
            <button class="kern-btn kern-btn--primary" type="submit" name="aktion" value="speichern">
              <span class="kern-label">{m.save}</span>
            </button>
          ) : null}
        </div>
      </form>
      <section aria-labelledby="vorschau-titel">
        <h2 id="vorschau-titel" class="kern-heading-medium">
          {m.previewTitle}
        </h2>
        <p class="kern-body">{m.previewIntro}</p>
        <div class="template-preview">
          {MESSAGE_LANGUAGES.map((l) => {
            const sample = sampleMessage({
              kind,
              language: l,
              office,
              now,
              publicUrl,
              reason: values.reason,
              template: asTemplate(kind, l, values.texts[l]),
            });
            const sms = sample.sms === null ? null : smsSegments(sample.sms);
            return (
              <section lang={l} aria-label={`${m.previewTitle}: ${m.language[l]}`}>
                <h3 class="kern-heading-small" lang={page.lang}>
                  {m.language[l]}
                </h3>
                <p class="kern-body">
                  <strong lang={page.lang}>{m.subject}:</strong> {sample.subject}
                </p>
                <pre class="template-preview__mail">{sample.text}</pre>
                {sample.sms !== null && sms ? (
                  <>
                    <p class="kern-body">
                      <strong lang={page.lang}>{m.sms}</strong>{' '}
                      <span lang={page.lang}>({m.smsLength([...sample.sms].length, sms.segments, sms.unicode)})</span>:
                    </p>
                    <pre class="template-preview__sms">{sample.sms}</pre>
                  </>
                ) : null}
              </section>
            );
          })}
        </div>
      </section>
    </StaffLayout>
  );
}
