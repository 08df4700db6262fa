import { Hono, type Context } from 'hono';
import { findOffice, firstOffice } from '../../app/shared/catalogue.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { hasRole } from '../../domain/staff-access.ts';
import {
  readClosureTemplates,
  sampleClosureNotice,
  saveClosureTemplate,
  templateProblems,
  type ClosureTemplates,
} from '../../app/messaging/message-templates.ts';
import type { MessageLanguage } from '../../app/messaging/appointment-messages.ts';
import { BUILT_IN_CLOSURE_TEMPLATES, type OfficeFacts } from '../../app/messaging/closure-messages.ts';
import type { UiLanguage } from '../language.ts';
import { Alert, ErrorSummary, FieldError, type FormError } from '../pages/components.tsx';
import type { StaffEnv } from './auth.ts';
import { templateMessages, type TemplateMessages } from './messages/messaging-templates.ts';
import { CsrfField, forbiddenPage, requirePageRole, requireStage, StaffLayout, staffPageFor, type StaffPage } from './page.tsx';

// /staff/vorlagen (#5): the municipality's wording of the closure notice, previewed for a sample
// appointment in German and English before it is saved — and before any closure uses it. Team leads
// may try texts and preview them; saving is the admin's (the text applies to every office).

const LANGS: MessageLanguage[] = ['de', 'en'];

/** The office the preview is written for: the chosen one, else any (the text is the same for all). */
export async function officeFacts(ctx: AppContext, officeId: string | null | undefined): Promise<OfficeFacts> {
  const office = (officeId ? await findOffice(ctx.db, officeId) : undefined) ?? (await firstOffice(ctx.db));
  return {
    name: office?.name ?? 'Bürgerbüro',
    address: office?.address ?? '',
    phone: office?.phone ?? null,
    timeZone: office?.time_zone ?? 'Europe/Berlin',
  };
}

type Values = { reason: string; texts: Record<MessageLanguage, { intro: string; sms: string }> };

export function templatePages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  pages.use('/vorlagen', requireStage('active'), requirePageRole('teamlead'));

  const render = async (c: Context<StaffEnv>, values: Values, extra: { notice?: string; errors?: FormError[] } = {}) => {
    const page = staffPageFor(c);
    const office = await officeFacts(ctx, c.get('session')?.officeId);
    const templates: ClosureTemplates = { de: asTemplate(values.texts.de), en: asTemplate(values.texts.en) };
    const errors = extra.errors ?? [];
    const canSave = hasRole(c.get('principal'), 'admin');
    return c.html(
      <TemplatePage
        page={page}
        values={values}
        office={office}
        templates={templates}
        now={ctx.now()}
        publicUrl={ctx.settings.publicUrl}
        notice={extra.notice ?? null}
        errors={errors}
        canSave={canSave}
      />,
      errors.length > 0 ? 422 : 200,
    );
  };

  pages.get('/vorlagen', async (c) => {
    const saved = await readClosureTemplates(ctx.db);
    const texts = Object.fromEntries(
      LANGS.map((l) => [
        l,
        { intro: saved[l]?.intro ?? BUILT_IN_CLOSURE_TEMPLATES[l].intro, sms: saved[l]?.sms ?? BUILT_IN_CLOSURE_TEMPLATES[l].sms },
      ]),
    ) as Values['texts'];
    const m = templateMessages[staffPageFor(c).lang];
    return render(c, { reason: 'technische Störung', texts }, c.req.query('ok') ? { notice: m.saved } : {});
  });

  pages.post('/vorlagen', async (c) => {
    const form = await c.req.parseBody();
    const field = (name: string) => (typeof form[name] === 'string' ? form[name].replace(/\r\n/g, '\n') : '');
    if (field('aktion') === 'speichern' && !hasRole(c.get('principal'), 'admin')) return forbiddenPage(c);
    const values: Values = {
      reason: field('grund').trim().slice(0, 200) || 'technische Störung',
      texts: { de: { intro: field('intro-de'), sms: field('sms-de') }, en: { intro: field('intro-en'), sms: field('sms-en') } },
    };
    const m = templateMessages[staffPageFor(c).lang];
    const errors = LANGS.flatMap((l) =>
      templateProblems(asTemplate(values.texts[l])).map((p) => ({
        field: `${p.field}-${l}`,
        message: p.unknown.length > 0 ? m.unknown(p.unknown) : m.missingOffer,
      })),
    );
    for (const l of LANGS)
      if (values.texts[l].sms.length > 480) errors.push({ field: `sms-${l}`, message: m.chars(values.texts[l].sms.length) });
    if (errors.length > 0 || field('aktion') !== 'speichern') return render(c, values, { errors });
    for (const l of LANGS) {
      // The built-in text is not stored: a later improvement of it then reaches this municipality too.
      const builtIn = BUILT_IN_CLOSURE_TEMPLATES[l];
      await saveClosureTemplate(ctx, c.get('principal'), {
        language: l,
        intro: values.texts[l].intro.trim() === builtIn.intro ? '' : values.texts[l].intro,
        sms: values.texts[l].sms.trim() === builtIn.sms ? '' : values.texts[l].sms,
      });
    }
    return c.redirect('/staff/vorlagen?ok=1', 303);
  });
  return pages;
}

function asTemplate(t: { intro: string; sms: string }) {
  return { intro: t.intro.trim() || null, sms: t.sms.trim() || null };
}

/** The closure notice of a sample appointment in German and English: mail subject, text and SMS. */
export function NoticePreview({
  lang,
  office,
  reason,
  templates,
  now,
  publicUrl,
  headingLevel = 2,
}: {
  lang: UiLanguage;
  office: OfficeFacts;
  reason: string;
  templates: ClosureTemplates;
  now: number;
  publicUrl: string;
  headingLevel?: 2 | 3;
}) {
  const m = templateMessages[lang];
  const H = headingLevel === 2 ? 'h3' : 'h4';
  return (
    <div class="template-preview">
      {LANGS.map((l) => {
        const notice = sampleClosureNotice({ language: l, office, reason, now, publicUrl, template: templates[l] });
        return (
          <section lang={l} aria-label={`${m.previewTitle}: ${m.language[l]}`}>
            <H class="kern-heading-small" lang={lang}>
              {m.language[l]}
            </H>
            <p class="kern-body">
              <strong lang={lang}>{m.subject}:</strong> {notice.subject}
            </p>
            <pre class="template-preview__mail">{notice.text}</pre>
            <p class="kern-body">
              <strong lang={lang}>{m.sms}</strong> <span lang={lang}>({m.chars(notice.sms.length)})</span>:
            </p>
            <pre class="template-preview__sms">{notice.sms}</pre>
          </section>
        );
      })}
    </div>
  );
}

type PageProps = {
  page: StaffPage;
  values: Values;
  office: OfficeFacts;
  templates: ClosureTemplates;
  now: number;
  publicUrl: string;
  notice: string | null;
  errors: FormError[];
  canSave: boolean;
};

function TemplatePage({ page, values, office, templates, now, publicUrl, notice, errors, canSave }: PageProps) {
  const m: TemplateMessages = templateMessages[page.lang];
  const area = (id: string, label: string, value: string, rows: number, maxlength: number) => {
    const error = errors.find((e) => e.field === id)?.message;
    return (
      <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
        <label class="kern-label" for={id}>
          {label}
        </label>
        <textarea
          class={`kern-form-input__input template-area${error ? ' kern-form-input__input--error' : ''}`}
          id={id}
          name={id}
          rows={rows}
          maxlength={maxlength}
          aria-describedby={error ? `platzhalter ${id}-fehler` : 'platzhalter'}
          aria-invalid={error ? 'true' : undefined}
        >
          {value}
        </textarea>
        <FieldError id={`${id}-fehler`} message={error} />
      </div>
    );
  };
  return (
    <StaffLayout page={page} title={m.title} hasErrors={errors.length > 0}>
      <h1 class="kern-heading-large">{m.title}</h1>
      {notice ? <Alert variant="success" title={notice} role="status" /> : null}
      <ErrorSummary title={m.errorTitle} errors={errors} />
      <p class="kern-body">{m.intro}</p>
      {canSave ? null : <Alert variant="info" title={m.previewOnly} />}
      <p class="kern-hint" id="platzhalter">
        {m.placeholders}
      </p>
      <form method="post" action="/staff/vorlagen" novalidate>
        <CsrfField page={page} />
        {LANGS.map((l) => (
          <fieldset class="kern-fieldset">
            <legend class="kern-label">{m.language[l]}</legend>
            <div class="kern-fieldset__body">
              {area(`intro-${l}`, m.introField(m.language[l]), values.texts[l].intro, 4, 2000)}
              {area(`sms-${l}`, m.smsField(m.language[l]), values.texts[l].sms, 3, 480)}
            </div>
          </fieldset>
        ))}
        <div class="kern-form-input">
          <label class="kern-label" for="grund">
            {m.reason}
          </label>
          <input class="kern-form-input__input" type="text" id="grund" name="grund" value={values.reason} maxlength={200} />
        </div>
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
        <NoticePreview lang={page.lang} office={office} reason={values.reason} templates={templates} now={now} publicUrl={publicUrl} />
      </section>
    </StaffLayout>
  );
}
