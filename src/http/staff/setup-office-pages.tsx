import { Hono, type Context } from 'hono';
import {
  nextCounterNumber,
  officeServices,
  withOfficeProfile,
  type CounterEdit,
  type NewCounter,
  type OfficeProfile,
} from '../../app/setup/edit-town-office.ts';
import type { TownFileInput } from '../../app/setup/town-file-schema.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { hasRole } from '../../domain/staff-access.ts';
import type { FormError } from '../pages/components.tsx';
import type { StaffEnv } from './auth.ts';
import { officeMessages } from './messages/setup-offices.ts';
import { requirePageRole, requireStage, staffPageFor } from './page.tsx';
import { centralOnly } from './setup-form.tsx';
import { list, problemsAtFields, text, type FormBody, type FormValues } from './setup-form.tsx';
import { currentSetup, setupEditFlow } from './setup-edit-flow.tsx';
import { officeTown, townOrChooser } from './setup-town.tsx';
import { FACTS, OFFICES, OfficeFormPage, OfficeListPage } from './setup-office-views.tsx';

// /staff/verwaltung/standorte (#19): what the town file says about each office — address, contact,
// directions, accessibility, counters and what each serves — edited in the exported document and
// previewed and applied by the same use cases as `schalter setup apply`. Admins edit; team leads see.
// Opening hours, exceptions and rules have pages of their own (setup-hours-pages, setup-rules-pages).

type DocOffice = TownFileInput['offices'][number];
const ROUTE = OFFICES.slice('/staff'.length);
const TEXTS = [
  'name',
  'address',
  'phone',
  'email',
  'directions-de',
  'directions-en',
  'transport-de',
  'transport-en',
  'access-de',
  'access-en',
];

const PROBLEM_FIELDS: Record<string, string> = {
  name: 'name',
  address: 'address',
  phone: 'phone',
  email: 'email',
  'directions.de': 'directions-de',
  'directions.en': 'directions-en',
  'publicTransport.de': 'transport-de',
  'publicTransport.en': 'transport-en',
  'accessibility.de': 'access-de',
  'accessibility.en': 'access-en',
  counters: 'counters',
};

function readForm(form: FormBody, office: DocOffice): FormValues {
  const values: FormValues = {};
  for (const name of [...TEXTS, ...FACTS]) values[name] = typeof form[name] === 'string' ? (form[name] as string) : '';
  for (const c of office.counters) {
    values[`counter-${c.number}-name`] = text(form, `counter-${c.number}-name`);
    values[`counter-${c.number}-service`] = list(form, `counter-${c.number}-service`);
    values[`counter-${c.number}-remove`] = text(form, `counter-${c.number}-remove`);
  }
  for (const name of ['counter-new', 'counter-new-name']) values[name] = text(form, name);
  values['counter-new-service'] = list(form, 'counter-new-service');
  return values;
}

function formOf(doc: TownFileInput, o: DocOffice): FormValues {
  const fact = (b: boolean | undefined) => (b === undefined ? '' : b ? 'ja' : 'nein');
  const values: FormValues = {
    name: o.name,
    address: o.address,
    phone: o.phone ?? '',
    email: o.email ?? '',
    'directions-de': o.directions?.de ?? '',
    'directions-en': o.directions?.en ?? '',
    'transport-de': o.publicTransport?.de ?? '',
    'transport-en': o.publicTransport?.en ?? '',
    'access-de': o.accessibility?.de ?? '',
    'access-en': o.accessibility?.en ?? '',
  };
  for (const f of FACTS) values[f] = fact(o.accessibility?.[f]);
  for (const c of o.counters) {
    values[`counter-${c.number}-name`] = c.name ?? '';
    values[`counter-${c.number}-service`] = c.services ?? officeServices(doc, o);
    values[`counter-${c.number}-remove`] = '';
  }
  values['counter-new'] = '';
  values['counter-new-name'] = '';
  values['counter-new-service'] = officeServices(doc, o);
  return values;
}

function profileOf(
  values: FormValues,
  doc: TownFileInput,
  office: DocOffice,
): { profile: OfficeProfile; counters: CounterEdit[]; added: NewCounter | undefined } {
  const v = (name: string) => String(values[name] ?? '').trim();
  const pair = (de: string, en: string) => (v(de) || v(en) ? { de: v(de), ...(v(en) ? { en: v(en) } : {}) } : undefined);
  const accessibility: Record<string, unknown> = {
    ...(v('access-de') ? { de: v('access-de') } : {}),
    ...(v('access-en') ? { en: v('access-en') } : {}),
  };
  for (const f of FACTS) if (v(f)) accessibility[f] = v(f) === 'ja';
  const offered = officeServices(doc, office);
  return {
    profile: {
      name: v('name'),
      address: v('address'),
      phone: v('phone') || undefined,
      email: v('email') || undefined,
      directions: pair('directions-de', 'directions-en') as OfficeProfile['directions'],
      publicTransport: pair('transport-de', 'transport-en') as OfficeProfile['publicTransport'],
      accessibility: Object.keys(accessibility).length ? (accessibility as OfficeProfile['accessibility']) : undefined,
    },
    counters: office.counters.map((c) => ({
      number: c.number,
      name: v(`counter-${c.number}-name`) || undefined,
      services: servedBy(`counter-${c.number}-service`),
      remove: v(`counter-${c.number}-remove`) === 'ja',
    })),
    added: v('counter-new') === 'ja' ? { name: v('counter-new-name') || undefined, services: servedBy('counter-new-service') } : undefined,
  };
  function servedBy(field: string): string[] | undefined {
    const chosen = [values[field] ?? []].flat();
    // Every service of the office ticked: the file says nothing, so a service added later is served too.
    return offered.every((s) => chosen.includes(s)) ? undefined : chosen;
  }
}

export function setupOfficePages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  for (const path of [ROUTE, `${ROUTE}/*`]) pages.use(path, requireStage('active'), requirePageRole('teamlead'), centralOnly(ctx));
  const notAdmin = (c: Context<StaffEnv>) => !hasRole(c.get('principal'), 'admin');

  // The document of the town the office belongs to (#20).
  const current = async (officeId: string | undefined) => currentSetup(ctx, await officeTown(ctx, officeId ?? ''));
  const officeIn = (doc: TownFileInput, id: string | undefined) => {
    const office = doc.offices.find((o) => o.id === id);
    if (!office) throw new DomainError('not_found', 'No such office');
    return office;
  };

  pages.get(ROUTE, async (c) => {
    const page = staffPageFor(c);
    const m = officeMessages[page.lang];
    const chosen = await townOrChooser(ctx, c, OFFICES, m.title);
    if (chosen instanceof Response) return chosen;
    const { doc } = await currentSetup(ctx, chosen.town);
    const named = doc.offices.find((o) => o.id === c.req.query('id'));
    const ok = c.req.query('ok');
    const notice = ok === 'gespeichert' && named ? m.saved(named.name) : ok === 'unveraendert' ? m.unchanged : undefined;
    const offices = doc.offices.map((o) => ({ ...o, serviceCount: officeServices(doc, o).length }));
    return c.html(<OfficeListPage page={page} offices={offices} canEdit={!notAdmin(c)} notice={notice} />);
  });

  const formPage = async (c: Context<StaffEnv>, doc: TownFileInput, office: DocOffice, values: FormValues, errors: FormError[] = []) => {
    const page = staffPageFor(c);
    const services = doc.services
      .filter((s) => officeServices(doc, office).includes(s.id))
      .map((s) => ({ id: s.id, name: page.lang === 'en' ? s.name.en : s.name.de }));
    return c.html(
      <OfficeFormPage
        page={page}
        office={office}
        newCounter={nextCounterNumber(office)}
        values={values}
        services={services}
        errors={errors}
        canEdit={!notAdmin(c)}
      />,
      errors.length > 0 ? 422 : 200,
    );
  };

  pages.get(`${ROUTE}/:id`, async (c) => {
    const { doc } = await current(c.req.param('id'));
    const office = officeIn(doc, c.req.param('id'));
    return formPage(c, doc, office, formOf(doc, office));
  });

  const officeOf = (c: Context<StaffEnv>, doc: TownFileInput) => officeIn(doc, c.req.param('id'));
  const flow = setupEditFlow(ctx, {
    town: (c) => officeTown(ctx, c.req.param('id') ?? ''),
    mayEdit: (c) => !notAdmin(c),
    actions: (c) => ({ save: `${OFFICES}/${c.req.param('id')!}/speichern`, edit: `${OFFICES}/${c.req.param('id')!}/formular` }),
    read: (c, form, doc) => readForm(form, officeOf(c, doc)),
    build: (c, doc, values) => {
      const office = officeOf(c, doc);
      const { profile, counters, added } = profileOf(values, doc, office);
      return { next: withOfficeProfile(doc, office.id, profile, counters, added), errors: [] };
    },
    form: (c, doc, values, errors) => formPage(c, doc, officeOf(c, doc), values, errors),
    invalid: (c, doc, values, error) => {
      const office = officeOf(c, doc);
      const at = doc.offices.findIndex((o) => o.id === office.id);
      const lang = staffPageFor(c).lang;
      return formPage(c, doc, office, values, problemsAtFields(error.problems, `offices[${at}]`, PROBLEM_FIELDS, 'counters', lang));
    },
    saved: (c, _doc, _values, result) =>
      `${OFFICES}?ok=${result.applied ? 'gespeichert' : 'unveraendert'}&id=${encodeURIComponent(c.req.param('id')!)}`,
  });
  pages.post(`${ROUTE}/:id/formular`, flow.back);
  pages.post(`${ROUTE}/:id/vorschau`, flow.preview);
  pages.post(`${ROUTE}/:id/speichern`, flow.save);

  return pages;
}
