import { Hono, type Context } from 'hono';
import { sampleClosureNotice } from '../../app/messaging/message-samples.ts';
import {
  asTemplate,
  inheritedTexts,
  INSTALLATION_TEXTS,
  MESSAGE_LANGUAGES,
  readMessageTemplates,
  saveMessageTemplate,
  templateFor,
  type ClosureTemplates,
} from '../../app/messaging/message-templates.ts';
import { setUpTowns } from '../../app/setup/setup-store.ts';
import { DomainError } from '../../domain/errors.ts';
import type { MessageLanguage } from '../../app/messaging/appointment-messages.ts';
import type { OfficeFacts } from '../../app/messaging/closure-messages.ts';
import { findOffice, firstOffice } from '../../app/shared/catalogue.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { FIELD_MAX_LENGTH, MESSAGE_KINDS, templateProblems, type MessageKind } from '../../domain/message-template.ts';
import { hasRole } from '../../domain/staff-access.ts';
import type { UiLanguage } from '../language.ts';
import type { FormError } from '../pages/components.tsx';
import type { StaffEnv } from './auth.ts';
import { templateMessages } from './messages/messaging-templates.ts';
import { TemplateListPage, TemplatePage, type TemplateValues } from './messaging-template-views.tsx';
import { forbiddenPage, requirePageRole, requireStage, staffPageFor } from './page.tsx';
import { centralOnly } from './setup-form.tsx';
import { townOrChooser, townQuery } from './setup-town.tsx';

// „Texte“ under /staff/verwaltung (#19; the closure notice's page of #5 became one of its kinds): the
// municipality's wording of every citizen mail and SMS, shown as the text that is sent now, previewed
// for a sample appointment in German and English, and saved by admins. Team leads try texts and
// preview them (the text applies to every office of the town, beyond their own offices).
// Per town (#20): staff of a town see and save their town's texts, never another's; a Kreis admin
// chooses the town (?stadt=, the set-up pages' chooser). A field the town does not word shows the
// installation's text, else the built-in one (message-templates.ts).

export const TEXTS = '/staff/verwaltung/texte';

/** The address of each kind's page, in the staff's language. */
export const KIND_SLUGS: Record<MessageKind, string> = {
  booking_confirmation: 'buchung-bestaetigen',
  appointment_confirmed: 'termin-bestaetigt',
  appointment_reminder: 'erinnerung',
  document_ready: 'abholbereit',
  closure_notice: 'schliessung',
  waiting_list_offer: 'warteliste-angebot',
  replacement_reminder: 'ersatztermin-erinnerung',
};
const kindOfSlug = (slug: string) => MESSAGE_KINDS.find((k) => KIND_SLUGS[k] === slug);

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

export function templatePages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  const route = TEXTS.slice('/staff'.length);
  for (const path of [route, `${route}/*`, '/vorlagen'])
    pages.use(path, requireStage('active'), requirePageRole('teamlead'), centralOnly(ctx));

  /**
   * Whose texts a request reads and saves: the staff member's town (another town named is not
   * found); a Kreis admin's the town of ?stadt=, else the only one, else (no town set up) the
   * installation's. `query` keeps a chosen town in links and the form's action.
   */
  const townOf = async (c: Context<StaffEnv>): Promise<{ town: string; query: string } | Response> => {
    const own = c.get('principal').municipalityId;
    const named = c.req.query('stadt');
    if (own !== null) {
      if (named !== undefined && named !== own) throw new DomainError('not_found', 'No such town');
      return { town: own, query: '' };
    }
    const chosen = await townOrChooser(ctx, c, c.req.path, templateMessages[staffPageFor(c).lang].listTitle);
    if (chosen instanceof Response) return chosen;
    if (chosen.town === undefined) return { town: INSTALLATION_TEXTS, query: '' };
    if (!(await setUpTowns(ctx.db)).includes(chosen.town)) throw new DomainError('not_found', 'No such town');
    return { town: chosen.town, query: named !== undefined ? townQuery(chosen.town) : '' };
  };

  const render = async (
    c: Context<StaffEnv>,
    kind: MessageKind,
    values: TemplateValues,
    extra: { notice?: string; errors?: FormError[]; query?: string } = {},
  ) => {
    const errors = extra.errors ?? [];
    return c.html(
      <TemplatePage
        page={staffPageFor(c)}
        kind={kind}
        action={`${TEXTS}/${KIND_SLUGS[kind]}${extra.query ?? ''}`}
        values={values}
        office={await officeFacts(ctx, c.get('session')?.officeId)}
        now={ctx.now()}
        publicUrl={ctx.settings.publicUrl}
        notice={extra.notice ?? null}
        errors={errors}
        canSave={hasRole(c.get('principal'), 'admin')}
      />,
      errors.length > 0 ? 422 : 200,
    );
  };

  pages.get(route, async (c) => {
    const chosen = await townOf(c);
    if (chosen instanceof Response) return chosen;
    const saved = await readMessageTemplates(ctx.db, chosen.town);
    const own = new Set(MESSAGE_KINDS.filter((k) => MESSAGE_LANGUAGES.some((l) => templateFor(saved, k, l) !== null)));
    return c.html(<TemplateListPage page={staffPageFor(c)} own={own} href={(k) => `${TEXTS}/${KIND_SLUGS[k]}${chosen.query}`} />);
  });

  pages.get(`${route}/:slug`, async (c) => {
    const kind = kindOfSlug(c.req.param('slug'));
    if (!kind) return c.notFound();
    const chosen = await townOf(c);
    if (chosen instanceof Response) return chosen;
    const [saved, inherited] = await Promise.all([readMessageTemplates(ctx.db, chosen.town), inheritedTexts(ctx.db, chosen.town)]);
    // The fields start with the text that is sent now: the town's, else the installation's, else the built-in one.
    const texts = Object.fromEntries(
      MESSAGE_LANGUAGES.map((l) => {
        const own = templateFor(saved, kind, l);
        const base = inherited[kind][l];
        return [l, { intro: own?.intro ?? base.intro, sms: own?.sms ?? base.sms ?? '' }];
      }),
    ) as TemplateValues['texts'];
    const m = templateMessages[staffPageFor(c).lang];
    return render(
      c,
      kind,
      { reason: 'technische Störung', texts },
      { query: chosen.query, ...(c.req.query('ok') ? { notice: m.saved } : {}) },
    );
  });

  const post = async (c: Context<StaffEnv>, kind: MessageKind) => {
    const chosen = await townOf(c);
    if (chosen instanceof Response) return chosen;
    const form = await c.req.parseBody();
    const field = (name: string) => (typeof form[name] === 'string' ? form[name].replace(/\r\n/g, '\n') : '');
    const saving = field('aktion') === 'speichern';
    if (saving && !hasRole(c.get('principal'), 'admin')) return forbiddenPage(c);
    const values: TemplateValues = {
      reason: field('grund').trim().slice(0, 200) || 'technische Störung',
      texts: { de: { intro: field('intro-de'), sms: field('sms-de') }, en: { intro: field('intro-en'), sms: field('sms-en') } },
    };
    const errors = formErrors(kind, values, staffPageFor(c).lang);
    if (errors.length > 0 || !saving) return render(c, kind, values, { errors, query: chosen.query });
    await saveMessageTemplate(ctx, c.get('principal'), { town: chosen.town, kind, texts: values.texts });
    return c.redirect(`${TEXTS}/${KIND_SLUGS[kind]}?ok=1${townQuery(chosen.query ? chosen.town : undefined, false)}`, 303);
  };

  pages.post(`${route}/:slug`, async (c) => {
    const kind = kindOfSlug(c.req.param('slug'));
    return kind ? post(c, kind) : c.notFound();
  });

  // The closure notice's first address (#5), linked from mails of old and from bookmarks.
  pages.get('/vorlagen', (c) => {
    const query = new URL(c.req.url).search;
    return c.redirect(`${TEXTS}/${KIND_SLUGS.closure_notice}${query}`, 301);
  });
  pages.post('/vorlagen', (c) => post(c, 'closure_notice'));
  return pages;
}

/** Each problem next to its field, in the staff's language: the placeholder it names, the length. */
function formErrors(kind: MessageKind, values: TemplateValues, lang: UiLanguage): FormError[] {
  const m = templateMessages[lang];
  return MESSAGE_LANGUAGES.flatMap((l) =>
    templateProblems(kind, asTemplate(kind, l, values.texts[l])).map((p) => {
      const text = values.texts[l][p.field] ?? '';
      const message =
        p.missing.length > 0
          ? m.missing(p.missing)
          : p.unknown.length > 0
            ? m.unknown(p.unknown)
            : m.tooLong(FIELD_MAX_LENGTH[p.field], text.trim().length);
      return { field: `${p.field}-${l}`, message };
    }),
  );
}

/** The closure notice of a sample appointment in German and English, as the closure form previews it. */
export function NoticePreview({
  lang,
  office,
  reason,
  templates,
  now,
  publicUrl,
}: {
  lang: UiLanguage;
  office: OfficeFacts;
  reason: string;
  templates: ClosureTemplates;
  now: number;
  publicUrl: string;
}) {
  const m = templateMessages[lang];
  return (
    <div class="template-preview">
      {MESSAGE_LANGUAGES.map((l: MessageLanguage) => {
        const notice = sampleClosureNotice({ language: l, office, reason, now, publicUrl, template: templates[l] });
        return (
          <section lang={l} aria-label={`${m.previewTitle}: ${m.language[l]}`}>
            <h3 class="kern-heading-small" lang={lang}>
              {m.language[l]}
            </h3>
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
