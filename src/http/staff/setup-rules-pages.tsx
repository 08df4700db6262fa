import { Hono, type Context } from 'hono';
import { rulesOf, withRules } from '../../app/setup/edit-town-rules.ts';
import type { TownFileInput } from '../../app/setup/town-file-schema.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { canAccessOffice } from '../../domain/staff-access.ts';
import type { FormError } from '../pages/components.tsx';
import type { StaffEnv } from './auth.ts';
import { rulesMessages } from './messages/setup-rules.ts';
import { forbiddenPage, requirePageRole, requireStage, staffPageFor } from './page.tsx';
import { currentSetup, setupEditFlow } from './setup-edit-flow.tsx';
import { officeTown, townOrChooser } from './setup-town.tsx';
import { centralOnly, problemsAtFields, type FormValues } from './setup-form.tsx';
import { readRulesForm, RULE_PROBLEM_FIELDS, rulesFormOf, rulesOfValues } from './setup-rules-form.ts';
import { RULES, RulesFormPage, RulesListPage } from './setup-rules-views.tsx';

// /staff/verwaltung/regeln (#19, „Regeln“): each office's rules of the town file — release,
// same-day and phone shares, walk-in quota, check-in window, confirmation, reminders, holds — saved
// through the one set-up edit flow (setup-edit-flow.tsx) as `schalter setup apply` does. Admins set
// every office's rules; team leads their own offices' (they release slots and run the walk-ins, and
// already set the walk-in quota and check-in window of their offices), like the opening hours.
// Clerks get the 403 page.

type C = Context<StaffEnv>;
type DocOffice = TownFileInput['offices'][number];
const ROUTE = RULES.slice('/staff'.length);

export function setupRulesPages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  for (const path of [ROUTE, `${ROUTE}/*`]) pages.use(path, requireStage('active'), requirePageRole('teamlead'), centralOnly(ctx));
  const mayEdit = (c: C, officeId: string) => canAccessOffice(c.get('principal'), officeId);
  const officeIn = (doc: TownFileInput, c: C): DocOffice => {
    const office = doc.offices.find((o) => o.id === c.req.param('office'));
    if (!office) throw new DomainError('not_found', 'No such office');
    return office;
  };

  pages.get(ROUTE, async (c) => {
    const page = staffPageFor(c);
    const m = rulesMessages[page.lang];
    const chosen = await townOrChooser(ctx, c, RULES, m.title);
    if (chosen instanceof Response) return chosen;
    const { doc } = await currentSetup(ctx, chosen.town);
    const offices = doc.offices.filter((o) => mayEdit(c, o.id));
    const saved = offices.find((o) => o.id === c.req.query('id'));
    const ok = c.req.query('ok');
    const notice = ok === 'gespeichert' && saved ? m.saved(saved.name) : ok === 'unveraendert' ? m.unchanged : undefined;
    const intro = c.get('principal').role === 'admin' ? m.intro : `${m.intro} ${m.introLead}`;
    return c.html(<RulesListPage page={page} offices={offices} intro={intro} notice={notice} />);
  });

  const formPage = (c: C, doc: TownFileInput, values: FormValues, errors: FormError[]) =>
    c.html(<RulesFormPage page={staffPageFor(c)} office={officeIn(doc, c)} values={values} errors={errors} />, errors.length ? 422 : 200);

  pages.get(`${ROUTE}/:office`, async (c) => {
    const { doc } = await currentSetup(ctx, await officeTown(ctx, c.req.param('office')));
    const office = officeIn(doc, c);
    if (!mayEdit(c, office.id)) return forbiddenPage(c);
    return formPage(c, doc, rulesFormOf(rulesOf(office)), []);
  });

  const base = (c: C) => `${RULES}/${c.req.param('office')!}`;
  const flow = setupEditFlow(ctx, {
    town: (c) => officeTown(ctx, c.req.param('office') ?? ''),
    mayEdit: (c) => mayEdit(c, c.req.param('office') ?? ''),
    actions: (c) => ({ save: `${base(c)}/speichern`, edit: `${base(c)}/formular` }),
    read: (_c, form) => readRulesForm(form),
    build: (c, doc, values) => {
      const { rules, errors } = rulesOfValues(values, staffPageFor(c).lang);
      return { next: withRules(doc, officeIn(doc, c).id, rules), errors };
    },
    form: formPage,
    invalid: (c, doc, values, error) => {
      const at = doc.offices.findIndex((o) => o.id === c.req.param('office'));
      const lang = staffPageFor(c).lang;
      return formPage(
        c,
        doc,
        values,
        problemsAtFields(error.problems, `offices[${at}].rules`, RULE_PROBLEM_FIELDS, 'release-weekday', lang),
      );
    },
    saved: (c, _doc, _values, result) =>
      `${RULES}?ok=${result.applied ? 'gespeichert' : 'unveraendert'}&id=${encodeURIComponent(c.req.param('office')!)}`,
  });
  pages.post(`${ROUTE}/:office/formular`, flow.back);
  pages.post(`${ROUTE}/:office/vorschau`, flow.preview);
  pages.post(`${ROUTE}/:office/speichern`, flow.save);

  return pages;
}
