import { Hono, type Context } from 'hono';
import { officesOffering, withoutService, withService } from '../../app/setup/edit-town-service.ts';
import type { TownFileInput } from '../../app/setup/town-file-schema.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { hasRole } from '../../domain/staff-access.ts';
import type { FormError } from '../pages/components.tsx';
import type { StaffEnv } from './auth.ts';
import { serviceMessages } from './messages/setup-services.ts';
import { forbiddenPage, requirePageRole, requireStage, staffPageFor } from './page.tsx';
import { centralOnly } from './setup-form.tsx';
import { eurosField, lines, list, problemsAtFields, readEuros, readWhole, text, type FormBody, type FormValues } from './setup-form.tsx';
import { currentSetup, setupEditFlow } from './setup-edit-flow.tsx';
import { chosenTown, townOrChooser } from './setup-town.tsx';
import { setUpTowns, townOfRow } from '../../app/setup/setup-store.ts';
import { SERVICES, ServiceFormPage, ServiceListPage } from './setup-service-views.tsx';

// /staff/verwaltung/dienstleistungen (#19, "one code path, two front ends"): the services of the
// town file, edited in the exported document and previewed and applied by the same use cases as
// `schalter setup apply` and PUT /api/v1/admin/setup. Admins edit; team leads see.

type DocService = TownFileInput['services'][number];
/** The pages are mounted under /staff. */
const ROUTE = SERVICES.slice('/staff'.length);

const FIELDS = ['id', 'name-de', 'name-en', 'description-de', 'description-en', 'minutes-first', 'minutes-further', 'fee'] as const;
const MORE = ['documents-de', 'documents-en', 'online', 'max-persons'] as const;

/** Where the town file's problems at `services[i].…` are shown (most specific key first). */
const PROBLEM_FIELDS: Record<string, string> = {
  id: 'id',
  'name.de': 'name-de',
  'name.en': 'name-en',
  name: 'name-de',
  'description.de': 'description-de',
  'description.en': 'description-en',
  description: 'description-de',
  'minutes.first': 'minutes-first',
  'minutes.further': 'minutes-further',
  minutes: 'minutes-first',
  feeCents: 'fee',
  'documents.de': 'documents-de',
  'documents.en': 'documents-en',
  documents: 'documents-de',
  online: 'online',
  maxPersons: 'max-persons',
};

function readForm(form: FormBody): FormValues {
  const values: FormValues = {};
  for (const name of [...FIELDS, ...MORE]) values[name] = typeof form[name] === 'string' ? (form[name] as string) : '';
  values.office = list(form, 'office');
  if (text(form, 'original')) values.original = text(form, 'original');
  if (text(form, 'entfernen') === 'ja') values.entfernen = 'ja';
  // The town whose services are edited (#20): carried by the form and the preview's confirmation.
  if (/^[a-z0-9-]{1,40}$/.test(text(form, 'stadt'))) values.stadt = text(form, 'stadt');
  return values;
}

function formOf(s: DocService, officeIds: string[]): FormValues {
  return {
    'name-de': s.name.de,
    'name-en': s.name.en,
    'description-de': s.description?.de ?? '',
    'description-en': s.description?.en ?? '',
    'minutes-first': String(s.minutes.first),
    'minutes-further': s.minutes.further === undefined ? '' : String(s.minutes.further),
    fee: eurosField(s.feeCents),
    'documents-de': (s.documents?.de ?? []).join('\n'),
    'documents-en': (s.documents?.en ?? []).join('\n'),
    online: s.online === false ? '' : 'ja',
    'max-persons': String(s.maxPersons ?? 5),
    office: officeIds,
  };
}

/** The service the typed values describe, as the town file writes it; numbers that are not numbers are form errors. */
function serviceOf(values: FormValues, lang: 'de' | 'en'): { service: Record<string, unknown>; errors: FormError[] } {
  const m = serviceMessages[lang].invalid;
  const v = (name: string) => String(values[name] ?? '').trim();
  const errors: FormError[] = [];
  const whole = (name: string) => {
    const n = readWhole(v(name));
    if (n === null) errors.push({ field: name, message: m.whole });
    return n ?? undefined;
  };
  const fee = readEuros(v('fee'));
  if (fee === null) errors.push({ field: 'fee', message: m.fee });
  const descriptionDe = v('description-de');
  const descriptionEn = v('description-en');
  const service: Record<string, unknown> = {
    id: v('original') || v('id'),
    name: { de: v('name-de'), en: v('name-en') },
    ...(descriptionDe || descriptionEn ? { description: { de: descriptionDe, ...(descriptionEn ? { en: descriptionEn } : {}) } } : {}),
    minutes: { first: whole('minutes-first'), ...(v('minutes-further') ? { further: whole('minutes-further') } : {}) },
    ...(fee !== null && fee !== undefined ? { feeCents: fee } : {}),
    documents: { de: lines(v('documents-de')), en: lines(v('documents-en')) },
    online: v('online') === 'ja',
    maxPersons: whole('max-persons'),
  };
  return { service, errors };
}

export function setupServicePages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  for (const path of [ROUTE, `${ROUTE}/*`]) pages.use(path, requireStage('active'), requirePageRole('teamlead'), centralOnly(ctx));
  const adminOnly = (c: Context<StaffEnv>) => !hasRole(c.get('principal'), 'admin');

  /**
   * The town whose services a request edits (#20): the town of the service named, else the one
   * chosen (?stadt= on links, the form's hidden `stadt` on posts), else the only one.
   */
  const townOf = async (c: Context<StaffEnv>, serviceId?: string) => {
    if (serviceId) {
      const town = await townOfRow(ctx.db, 'service', serviceId);
      if (town !== undefined) return town;
    }
    if (c.req.method === 'POST') {
      const form = (await c.req.parseBody({ all: true })) as FormBody;
      const stadt = text(form, 'stadt');
      if (/^[a-z0-9-]{1,40}$/.test(stadt)) return stadt;
    }
    return chosenTown(ctx, c);
  };
  const current = (town: string | undefined) => currentSetup(ctx, town);
  const officeNames = (doc: TownFileInput) => doc.offices.map((o) => ({ id: o.id, name: o.name }));

  pages.get(ROUTE, async (c) => {
    const page = staffPageFor(c);
    const m = serviceMessages[page.lang];
    const chosen = await townOrChooser(ctx, c, SERVICES, m.title, 'service');
    if (chosen instanceof Response) return chosen;
    const { doc } = await current(chosen.town);
    const ok = c.req.query('ok');
    const id = c.req.query('id') ?? '';
    const named = doc.services.find((s) => s.id === id);
    const name = named ? named.name[page.lang] : /^[a-z0-9-]{1,40}$/.test(id) ? id : '';
    const notice =
      ok === 'gespeichert' ? m.saved(name) : ok === 'entfernt' ? m.removed(name) : ok === 'unveraendert' ? m.unchanged : undefined;
    const services = doc.services.map((s) => ({ ...s, officeIds: officesOffering(doc, s.id) }));
    return c.html(
      <ServiceListPage
        page={page}
        services={services}
        offices={officeNames(doc)}
        canEdit={!adminOnly(c)}
        notice={notice}
        town={await kreisTown(doc)}
      />,
    );
  });

  const formPage = async (c: Context<StaffEnv>, values: FormValues, errors: FormError[] = []) => {
    const page = staffPageFor(c);
    const m = serviceMessages[page.lang];
    const original = typeof values.original === 'string' ? values.original : null;
    const { doc } = await current(await townOf(c, original ?? undefined));
    const existing = original ? doc.services.find((s) => s.id === original) : undefined;
    if (original && !existing) throw new DomainError('not_found', 'No such service');
    const title = existing ? (page.lang === 'en' ? existing.name.en : existing.name.de) : m.create;
    return c.html(
      <ServiceFormPage
        page={page}
        original={original}
        title={existing && !adminOnly(c) ? m.edit(title) : title}
        values={values}
        offices={officeNames(doc)}
        feeRules={existing?.feeRules?.length ?? 0}
        errors={errors}
        canEdit={!adminOnly(c)}
        town={await kreisTown(doc)}
      />,
      errors.length > 0 ? 422 : 200,
    );
  };
  /** The town to name in links and forms: only on a Kreis, so one-town pages keep their addresses. */
  const kreisTown = async (doc: TownFileInput) => ((await setUpTowns(ctx.db)).length > 1 ? doc.municipality.id : undefined);

  pages.get(`${ROUTE}/neu`, async (c) => {
    if (adminOnly(c)) return forbiddenPage(c);
    const town = await townOf(c);
    const { doc } = await current(town);
    return formPage(c, {
      ...formOf(
        { id: '', name: { de: '', en: '' }, minutes: { first: 15 } },
        doc.offices.map((o) => o.id),
      ),
      'name-de': '',
      'name-en': '',
      ...(town && (await kreisTown(doc)) ? { stadt: town } : {}),
    });
  });

  pages.get(`${ROUTE}/:id`, async (c) => {
    const { doc } = await current(await townOf(c, c.req.param('id')));
    const service = doc.services.find((s) => s.id === c.req.param('id'));
    if (!service) throw new DomainError('not_found', 'No such service');
    return formPage(c, { ...formOf(service, officesOffering(doc, service.id)), original: service.id });
  });

  /** The document the typed values make of the current one; or the form's errors. */
  const build = (c: Context<StaffEnv>, doc: TownFileInput, values: FormValues) => {
    const original = typeof values.original === 'string' ? values.original : null;
    if (original && values.entfernen === 'ja') return { next: withoutService(doc, original), errors: [] };
    const { service, errors } = serviceOf(values, staffPageFor(c).lang);
    return { next: withService(doc, original, service, [values.office ?? []].flat()), errors };
  };

  const flow = setupEditFlow(ctx, {
    town: async (c) => {
      const form = (await c.req.parseBody({ all: true })) as FormBody;
      return townOf(c, text(form, 'original') || undefined);
    },
    mayEdit: (c) => !adminOnly(c),
    actions: () => ({ save: `${SERVICES}/speichern`, edit: `${SERVICES}/formular` }),
    read: (_c, form) => readForm(form),
    build,
    form: (c, _doc, values, errors) => formPage(c, values, errors),
    invalid: (c, _doc, values, error, next) => {
      const lang = staffPageFor(c).lang;
      const id = String(values.original ?? values.id ?? '').trim();
      const index = next.services.findIndex((s) => s.id === id);
      const at = index >= 0 ? index : next.services.length - 1;
      return formPage(c, values, problemsAtFields(error.problems, `services[${at}]`, PROBLEM_FIELDS, 'offices', lang));
    },
    saved: (_c, _doc, values, result) => {
      const id = String(values.original ?? values.id ?? '').trim();
      const ok = !result.applied ? 'unveraendert' : values.entfernen === 'ja' ? 'entfernt' : 'gespeichert';
      // A removed service has no town any more to find it by: the town goes along (#20).
      return `${SERVICES}?ok=${ok}&id=${encodeURIComponent(id)}${ok === 'entfernt' && values.stadt ? `&stadt=${encodeURIComponent(String(values.stadt))}` : ''}`;
    },
  });
  pages.post(`${ROUTE}/formular`, flow.back);
  pages.post(`${ROUTE}/vorschau`, flow.preview);
  pages.post(`${ROUTE}/speichern`, flow.save);

  return pages;
}
