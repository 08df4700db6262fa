import { Hono, type Context } from 'hono';
import { Temporal } from 'temporal-polyfill';
import { staffingPlanOf, withException, withHours } from '../../app/setup/edit-town-hours.ts';
import { readStaffingMonth } from '../../app/setup/read-staffing-month.ts';
import type { TownFileInput } from '../../app/setup/town-file-schema.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { localDate } from '../../domain/zoned-time.ts';
import { canAccessOffice, hasRole } from '../../domain/staff-access.ts';
import { mostCounters, staffingOn } from '../../domain/staffing-day.ts';
import type { StaffEnv } from './auth.ts';
import { hoursMessages } from './messages/setup-hours.ts';
import { forbiddenPage, requirePageRole, requireStage, staffPageFor } from './page.tsx';
import { setupEditFlow, currentSetup, type SetupEdit } from './setup-edit-flow.tsx';
import { officeTown, townOrChooser } from './setup-town.tsx';
import { centralOnly, problemsAtFields } from './setup-form.tsx';
import {
  exceptionFormOf,
  exceptionOf,
  hoursFormOf,
  hoursOf,
  isLeftOut,
  readDay,
  readExceptionForm,
  readHoursForm,
} from './setup-hours-form.ts';
import { MonthPage } from './setup-hours-month-view.tsx';
import { ExceptionFormPage, HOURS, HoursFormPage, HoursListPage, HoursOfficePage } from './setup-hours-views.tsx';

// /staff/verwaltung/oeffnungszeiten (#19, „Öffnungszeiten und Besetzung“): each office's weekly plan
// as a week grid, a month view with staffing, booked load, holidays, closures and exceptions, and
// the forms for the plan and for one exception — all saved through the one set-up edit flow
// (setup-edit-flow.tsx) as `schalter setup apply` does. Admins edit every office, team leads their
// own (the staffing is theirs to plan, decision 0003); clerks get the 403 page.

type C = Context<StaffEnv>;
type DocOffice = TownFileInput['offices'][number];
const ROUTE = HOURS.slice('/staff'.length);

export function setupHoursPages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  for (const path of [ROUTE, `${ROUTE}/*`]) pages.use(path, requireStage('active'), requirePageRole('teamlead'), centralOnly(ctx));
  // A team lead their offices, a town admin the town's, a Kreis admin all (issue #20).
  const mayEdit = (c: C, officeId: string) => canAccessOffice(c.get('principal'), officeId);
  const officeIn = (doc: TownFileInput, c: C): DocOffice => {
    const office = doc.offices.find((o) => o.id === c.req.param('office'));
    if (!office) throw new DomainError('not_found', 'No such office');
    return office;
  };
  const today = (office: DocOffice) => localDate(ctx.now(), office.timeZone ?? 'Europe/Berlin');

  pages.get(ROUTE, async (c) => {
    const page = staffPageFor(c);
    const m = hoursMessages[page.lang];
    const chosen = await townOrChooser(ctx, c, HOURS, m.title);
    if (chosen instanceof Response) return chosen;
    const { doc } = await currentSetup(ctx, chosen.town);
    const isAdmin = hasRole(c.get('principal'), 'admin');
    const offices = doc.offices.filter((o) => mayEdit(c, o.id));
    return c.html(<HoursListPage page={page} offices={offices} intro={isAdmin ? m.intro : m.introLead} />);
  });

  pages.get(`${ROUTE}/:office`, async (c) => {
    const page = staffPageFor(c);
    const m = hoursMessages[page.lang];
    const office = officeIn((await currentSetup(ctx, await officeTown(ctx, c.req.param('office')!))).doc, c);
    if (!mayEdit(c, office.id)) return forbiddenPage(c);
    const ok = c.req.query('ok');
    const notices: Record<string, string> = {
      gespeichert: m.saved,
      ausnahme: m.exceptionSaved,
      entfernt: m.exceptionRemoved,
      unveraendert: m.unchanged,
    };
    return c.html(<HoursOfficePage page={page} office={office} canEdit notice={ok ? notices[ok] : undefined} />);
  });

  pages.get(`${ROUTE}/:office/monat`, async (c) => {
    const page = staffPageFor(c);
    const { doc } = await currentSetup(ctx, await officeTown(ctx, c.req.param('office')!));
    const office = officeIn(doc, c);
    if (!mayEdit(c, office.id)) return forbiddenPage(c);
    const asked = c.req.query('monat') ?? '';
    const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(asked) ? asked : today(office).slice(0, 7);
    const ym = Temporal.PlainYearMonth.from(month);
    const days = await readStaffingMonth(ctx, { doc, officeId: office.id, month, lang: page.lang });
    const m = hoursMessages[page.lang];
    const ok = c.req.query('ok');
    const notice =
      ok === 'ausnahme' ? m.exceptionSaved : ok === 'entfernt' ? m.exceptionRemoved : ok === 'unveraendert' ? m.unchanged : undefined;
    return c.html(
      <MonthPage
        page={page}
        office={office}
        month={month}
        previous={ym.subtract({ months: 1 }).toString()}
        next={ym.add({ months: 1 }).toString()}
        days={days}
        canEdit
        notice={notice}
      />,
    );
  });

  // The weekly plan.
  const hoursForm = (c: C, doc: TownFileInput, values: Record<string, string | string[]>, errors: { field: string; message: string }[]) =>
    c.html(
      <HoursFormPage page={staffPageFor(c)} office={officeIn(doc, c)} values={values} errors={errors} />,
      errors.length > 0 ? 422 : 200,
    );

  pages.get(`${ROUTE}/:office/wochenplan`, async (c) => {
    const { doc } = await currentSetup(ctx, await officeTown(ctx, c.req.param('office')!));
    const office = officeIn(doc, c);
    if (!mayEdit(c, office.id)) return forbiddenPage(c);
    return hoursForm(c, doc, hoursFormOf(office), []);
  });

  const placed = (c: C, doc: TownFileInput, prefix: string, fields: Record<string, string>, fallback: string) => {
    const at = doc.offices.findIndex((o) => o.id === c.req.param('office'));
    return (problems: Parameters<typeof problemsAtFields>[0]) =>
      problemsAtFields(problems, `offices[${at}].${prefix}`, fields, fallback, staffPageFor(c).lang);
  };

  const base = (c: C) => `${HOURS}/${c.req.param('office')!}`;
  const common: Pick<SetupEdit, 'mayEdit' | 'town'> = {
    mayEdit: (c) => mayEdit(c, c.req.param('office') ?? ''),
    town: (c) => officeTown(ctx, c.req.param('office') ?? ''),
  };

  const plan = setupEditFlow(ctx, {
    ...common,
    actions: (c) => ({ save: `${base(c)}/wochenplan/speichern`, edit: `${base(c)}/wochenplan/formular` }),
    read: (_c, form) => readHoursForm(form),
    build: (c, doc, values) => {
      const { hours, errors } = hoursOf(values, staffPageFor(c).lang);
      return { next: withHours(doc, officeIn(doc, c).id, hours), errors };
    },
    form: hoursForm,
    invalid: (c, doc, values, error) => {
      // A problem at hours[i].key goes to that line's field; the rest (e.g. a cross-check) to line 1.
      const at = doc.offices.findIndex((o) => o.id === c.req.param('office'));
      const errors = error.problems.map((p) => {
        const match = new RegExp(`^offices\\[${at}\\]\\.hours\\[(\\d+)\\]\\.?(\\w*)`).exec(p.path);
        const line = match ? kept(values, Number(match[1])) : 0;
        const field = {
          from: 'from',
          to: 'to',
          appointmentCounters: 'appointment',
          walkinCounters: 'walkin',
          validFrom: 'valid-from',
          validTo: 'valid-to',
          startingFrom: 'starting',
          everyWeeks: 'every',
        }[match?.[2] ?? ''];
        return { field: field ? `line-${line}-${field}` : `line-${line}-day-mon`, message: staffPageFor(c).lang === 'de' ? p.de : p.en };
      });
      return hoursForm(c, doc, values, errors);
    },
    saved: (c, _doc, _values, result) => `${base(c)}?ok=${result.applied ? 'gespeichert' : 'unveraendert'}`,
  });
  pages.post(`${ROUTE}/:office/wochenplan/formular`, plan.back);
  pages.post(`${ROUTE}/:office/wochenplan/vorschau`, plan.preview);
  pages.post(`${ROUTE}/:office/wochenplan/speichern`, plan.save);

  // One exception: „Mo 12.01.: 3 statt 6 Schalter – Fortbildung“.
  const regularOn = (office: DocOffice, date: string | undefined | null) =>
    mostCounters(staffingOn(date ?? today(office), { lines: staffingPlanOf(office).lines, changes: [] }).ranges);
  const exceptionForm = (
    c: C,
    doc: TownFileInput,
    values: Record<string, string | string[]>,
    errors: { field: string; message: string }[],
  ) => {
    const office = officeIn(doc, c);
    const regular = regularOn(office, readDay(String(values.date ?? '')));
    return c.html(
      <ExceptionFormPage page={staffPageFor(c)} office={office} values={values} regular={regular} errors={errors} />,
      errors.length > 0 ? 422 : 200,
    );
  };

  pages.get(`${ROUTE}/:office/ausnahme`, async (c) => {
    const { doc } = await currentSetup(ctx, await officeTown(ctx, c.req.param('office')!));
    const office = officeIn(doc, c);
    if (!mayEdit(c, office.id)) return forbiddenPage(c);
    const nr = Number(c.req.query('nr') ?? NaN);
    const existing = Number.isInteger(nr) ? (office.exceptions ?? [])[nr] : undefined;
    const date = readDay(c.req.query('datum') ?? '') ?? today(office);
    // Prefilled with the counters the day has now, so „3 statt 6“ is one number to change.
    const now = mostCounters(staffingOn(date, staffingPlanOf(office)).ranges);
    return exceptionForm(c, doc, exceptionFormOf(existing ?? null, existing ? nr : null, date, now), []);
  });

  const exception = setupEditFlow(ctx, {
    ...common,
    actions: (c) => ({ save: `${base(c)}/ausnahme/speichern`, edit: `${base(c)}/ausnahme/formular` }),
    read: (_c, form) => readExceptionForm(form),
    build: (c, doc, values) => {
      const { exception: x, at, errors } = exceptionOf(values, staffPageFor(c).lang);
      return { next: withException(doc, officeIn(doc, c).id, at, x), errors };
    },
    form: exceptionForm,
    invalid: (c, doc, values, error, next) => {
      const office = next.offices.find((o) => o.id === c.req.param('office'));
      const index = (office?.exceptions ?? []).findIndex((x) => x.reason === String(values.grund ?? '').trim());
      const fields = {
        date: 'date',
        until: 'until',
        from: 'from',
        to: 'to',
        appointmentCounters: 'appointment',
        walkinCounters: 'walkin',
        reason: 'grund',
      };
      return exceptionForm(c, doc, values, placed(c, next, `exceptions[${Math.max(0, index)}]`, fields, 'date')(error.problems));
    },
    saved: (c, _doc, values, result) =>
      `${base(c)}/monat?${readDay(String(values.date ?? '')) ? `monat=${readDay(String(values.date))!.slice(0, 7)}&` : ''}ok=${
        !result.applied ? 'unveraendert' : values.entfernen === 'ja' ? 'entfernt' : 'ausnahme'
      }`,
  });
  pages.post(`${ROUTE}/:office/ausnahme/formular`, exception.back);
  pages.post(`${ROUTE}/:office/ausnahme/vorschau`, exception.preview);
  pages.post(`${ROUTE}/:office/ausnahme/speichern`, exception.save);

  return pages;
}

/** The form line the i-th saved line came from: lines left out (removed, empty) do not count. */
function kept(values: Record<string, string | string[]>, index: number): number {
  let seen = -1;
  for (let i = 0; i < Number(values.lines ?? 0); i++) if (!isLeftOut(values, i) && ++seen === index) return i;
  return 0;
}
