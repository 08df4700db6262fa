import { Hono, type Context } from 'hono';
import { Temporal } from 'temporal-polyfill';
import {
  chosenOffices,
  closableOffices,
  closeSeveralOffices,
  previewSeveralClosures,
  summariseSeveralClosures,
  type ClosableOffice,
  type ClosableTown,
  type SeveralRequest,
  type SeveralSummary,
} from '../../app/closures/close-several-offices.ts';
import type { AppContext } from '../../app/shared/context.ts';
import type { Reachability } from '../../domain/closure.ts';
import { DomainError } from '../../domain/errors.ts';
import { Alert, ErrorSummary, errorFor, FieldError, Hidden, SubmitButton, type FormError } from '../pages/components.tsx';
import type { StaffEnv } from './auth.ts';
import { checkForm, defaultValues, period, readForm, type ClosureFormValues } from './closure-pages.tsx';
import { closureMessages } from './messages/closures.ts';
import { severalClosureMessages } from './messages/closures-several.ts';
import { StaffTable } from './staff-table.tsx';
import { Check, PeriodFields } from './closure-period-fields.tsx';
import {
  CsrfField,
  forbiddenPage,
  requirePageRole,
  requireStage,
  StaffLayout,
  staffErrorPage,
  staffPageFor,
  type StaffPage,
} from './page.tsx';

// Closing several offices in one step (#20): the Kreis when its data centre fails, a town's admin
// for all its offices. The offices come grouped by town, with "all of a town" and "all" as plain
// checkboxes (the server widens them: no JavaScript needed); then the same preview and confirmation
// as for one office, and a summary per town. The use cases are the CLI's (close-several-offices.ts).

type Log = (message: string, error?: unknown) => void;
type Form = Record<string, string | File | (string | File)[]>;
type Choice = { officeIds: string[]; townIds: string[]; all: boolean };

export const SEVERAL_CLOSURES_PATH = '/staff/schliessungen/mehrere';

const values = (form: Form, name: string): string[] => {
  const v = form[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string').map((x) => x.trim());
};
const text = (form: Form, name: string) => values(form, name)[0] ?? '';
const readChoice = (form: Form): Choice => ({
  officeIds: values(form, 'standort'),
  townIds: values(form, 'stadt'),
  all: text(form, 'alle') !== '',
});

export function severalClosurePages(ctx: AppContext, log: Log = () => {}) {
  const pages = new Hono<StaffEnv>();
  pages.use('/schliessungen/mehrere', requireStage('active'), requirePageRole('teamlead'));
  pages.use('/schliessungen/mehrere/*', requireStage('active'), requirePageRole('teamlead'));

  const showForm = async (c: Context<StaffEnv>, towns: ClosableTown[], v: ClosureFormValues, choice: Choice, errors: FormError[]) =>
    c.html(<FormPage page={staffPageFor(c)} towns={towns} values={v} choice={choice} errors={errors} />, errors.length ? 422 : 200);

  pages.get('/schliessungen/mehrere', async (c) => {
    const towns = await closableOffices(ctx, c.get('principal'));
    return showForm(c, towns, defaultValues(ctx.now(), 'Europe/Berlin'), { officeIds: [], townIds: [], all: false }, []);
  });

  pages.post('/schliessungen/mehrere/aendern', async (c) => {
    const form = await c.req.parseBody({ all: true });
    return showForm(c, await closableOffices(ctx, c.get('principal')), readForm(form), readChoice(form), []);
  });

  pages.post('/schliessungen/mehrere/vorschau', async (c) => {
    const principal = c.get('principal');
    const page = staffPageFor(c);
    const towns = await closableOffices(ctx, principal);
    const form = await c.req.parseBody({ all: true });
    const choice = readChoice(form);
    const v: ClosureFormValues = { ...readForm(form), scope: 'office', counters: [] };
    let offices: ClosableOffice[];
    try {
      offices = chosenOffices(towns, choice);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'forbidden') return forbiddenPage(c);
      throw error;
    }
    const m = closureMessages[page.lang];
    const errors: FormError[] =
      offices.length === 0 ? [{ field: 'standorte', message: severalClosureMessages[page.lang].officesMissing }] : [];
    // Each office's period in its own time zone (as the CLI reads --from/--to per office).
    const requests: SeveralRequest[] = [];
    for (const office of offices) {
      const checked = checkForm(v, { ...office, counters: [] }, ctx.now(), m);
      if ('errors' in checked) {
        errors.push(...checked.errors);
        break;
      }
      requests.push({ officeId: office.id, ...checked.request });
    }
    if (offices.length === 0 && v.reason === '') errors.push({ field: 'grund', message: m.reasonMissing });
    if (errors.length > 0) return showForm(c, towns, v, choice, errors);
    let previews;
    try {
      previews = await previewSeveralClosures(ctx, principal, requests);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'validation_failed')
        return showForm(c, towns, v, choice, [{ field: 'zeitraum', message: m.problem({ field: 'from', reason: 'invalid' }) }]);
      throw error;
    }
    return c.html(<PreviewPage page={page} towns={towns} values={v} choice={choice} requests={requests} previews={previews} />);
  });

  pages.post('/schliessungen/mehrere', async (c) => {
    const form = await c.req.parseBody({ all: true });
    const requests = readCommit(form);
    if (!requests) return staffErrorPage(c, 'validation_failed', 422);
    let ids: string[];
    try {
      ids = await closeSeveralOffices(ctx, c.get('principal'), requests, log);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'forbidden') return forbiddenPage(c);
      if (error instanceof DomainError && error.code === 'validation_failed') return staffErrorPage(c, 'validation_failed', 422);
      throw error;
    }
    return c.redirect(`${SEVERAL_CLOSURES_PATH}/ergebnis?schliessungen=${ids.join(',')}`, 303);
  });

  pages.get('/schliessungen/mehrere/ergebnis', async (c) => {
    const ids = (c.req.query('schliessungen') ?? '').split(',').filter(Boolean);
    const summary = await summariseSeveralClosures(ctx, c.get('principal'), ids);
    return c.html(<SummaryPage page={staffPageFor(c)} summary={summary} />);
  });
  return pages;
}

/** The preview's hidden fields: each office with exactly the instants that were previewed. */
function readCommit(form: Form): SeveralRequest[] | null {
  const officeIds = [...new Set(values(form, 'standort'))];
  const reason = text(form, 'grund');
  if (officeIds.length === 0 || reason === '' || reason.length > 200) return null;
  const requests: SeveralRequest[] = [];
  for (const officeId of officeIds) {
    const [from, to] = text(form, `zeit-${officeId}`).split('_').map(Number);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) return null;
    requests.push({
      officeId,
      from: from!,
      to: to!,
      reason,
      counters: null,
      notify: text(form, 'benachrichtigen') === '1',
      offerReplacements: text(form, 'ersatz') === '1',
    });
  }
  return requests;
}

function ChoiceAsHidden({ values: v, choice }: { values: ClosureFormValues; choice: Choice }) {
  return (
    <>
      {choice.officeIds.map((id) => (
        <Hidden name="standort" value={id} />
      ))}
      {choice.townIds.map((id) => (
        <Hidden name="stadt" value={id} />
      ))}
      {choice.all ? <Hidden name="alle" value="1" /> : null}
      <Hidden name="zeitraum" value={v.choice} />
      <Hidden name="datum" value={v.date} />
      <Hidden name="bis-datum" value={v.untilDate} />
      <Hidden name="von" value={v.from} />
      <Hidden name="bis" value={v.to} />
      <Hidden name="grund" value={v.reason} />
      {v.notify ? <Hidden name="benachrichtigen" value="1" /> : null}
      {v.offer ? <Hidden name="ersatz" value="1" /> : null}
    </>
  );
}

type FormProps = { page: StaffPage; towns: ClosableTown[]; values: ClosureFormValues; choice: Choice; errors: FormError[] };

function FormPage({ page, towns, values: v, choice, errors }: FormProps) {
  const s = severalClosureMessages[page.lang];
  const m = closureMessages[page.lang];
  const officesError = errorFor(errors, 'standorte');
  return (
    <StaffLayout page={page} title={s.title} hasErrors={errors.length > 0}>
      <p>
        <a class="kern-link" href="/staff/schliessungen">
          {s.back}
        </a>
      </p>
      <h1 class="kern-heading-large">{s.title}</h1>
      <ErrorSummary title={m.errorTitle} errors={errors} />
      <p class="kern-body">{s.intro}</p>
      {towns.length === 0 ? (
        <p class="kern-body">{s.none}</p>
      ) : (
        <form method="post" action={`${SEVERAL_CLOSURES_PATH}/vorschau`} novalidate class="closure-form">
          <CsrfField page={page} />
          <fieldset class="kern-fieldset" id="standorte">
            <legend class="kern-label">{s.offices}</legend>
            <div class="kern-fieldset__body">
              <FieldError id="standorte-fehler" message={officesError} />
              {towns.length > 1 ? <Check name="alle" value="1" id="alle" label={s.all} checked={choice.all} /> : null}
              {towns.map((t) => (
                <fieldset class="kern-fieldset">
                  <legend class="kern-label">{t.name}</legend>
                  <div class="kern-fieldset__body">
                    <Check
                      name="stadt"
                      value={t.id}
                      id={`stadt-${t.id}`}
                      label={s.wholeTown(t.name)}
                      checked={choice.townIds.includes(t.id)}
                    />
                    {t.offices.map((o) => (
                      <Check
                        name="standort"
                        value={o.id}
                        id={`standort-${o.id}`}
                        label={o.name}
                        checked={choice.officeIds.includes(o.id)}
                      />
                    ))}
                  </div>
                </fieldset>
              ))}
            </div>
          </fieldset>
          <PeriodFields m={m} values={v} errors={errors} />
          <SubmitButton label={m.previewButton} />
        </form>
      )}
    </StaffLayout>
  );
}

type PreviewProps = {
  page: StaffPage;
  towns: ClosableTown[];
  values: ClosureFormValues;
  choice: Choice;
  requests: SeveralRequest[];
  previews: { officeId: string; reach: Reachability }[];
};

function PreviewPage({ page, towns, values: v, choice, requests, previews }: PreviewProps) {
  const s = severalClosureMessages[page.lang];
  const m = closureMessages[page.lang];
  const reachOf = new Map(previews.map((p) => [p.officeId, p.reach]));
  const shown = towns.map((t) => ({ ...t, offices: t.offices.filter((o) => reachOf.has(o.id)) })).filter((t) => t.offices.length > 0);
  const total = previews.reduce((sum, p) => sum + p.reach.appointments, 0);
  const first = requests[0]!;
  const zone = shown[0]?.offices[0]?.timeZone ?? 'Europe/Berlin';
  const at = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).toString({ timeZoneName: 'never' });
  return (
    <StaffLayout page={page} title={s.previewTitle}>
      <h1 class="kern-heading-large">{s.previewTitle}</h1>
      <Alert variant="warning" title={m.previewIntro} />
      <dl class="kern-description-list">
        {(
          [
            [m.period, period(at(first.from), at(first.to), page.lang)],
            [m.reason.split(' (')[0]!, first.reason],
            [m.notify.split(' (')[0]!, first.notify ? m.yes : m.no],
            [m.offer, first.offerReplacements ? m.yes : m.no],
          ] as [string, string][]
        ).map(([k, val]) => (
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{k}</dt>
            <dd class="kern-description-list-item__value">{val}</dd>
          </div>
        ))}
      </dl>
      <p class="kern-heading-medium closure-affected" role="status">
        {s.affected(total, requests.length)}
      </p>
      <table class="staff-table closure-reach">
        <caption class="kern-body">{m.reachCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{s.office}</th>
            <th scope="col">{s.affectedCol}</th>
            <th scope="col">{s.reachCol}</th>
          </tr>
        </thead>
        {shown.map((t) => (
          <tbody>
            {t.offices.map((o) => (
              <tr>
                <th scope="row">{`${o.name} (${t.name})`}</th>
                <td class="time">{reachOf.get(o.id)!.appointments}</td>
                <td>{s.reach(reachOf.get(o.id)!)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{s.townTotal(t.name)}</th>
              <td class="time">{t.offices.reduce((sum, o) => sum + reachOf.get(o.id)!.appointments, 0)}</td>
              <td></td>
            </tr>
          </tbody>
        ))}
      </table>
      <div class="closure-actions">
        <form method="post" action={SEVERAL_CLOSURES_PATH}>
          <CsrfField page={page} />
          {requests.map((r) => (
            <>
              <Hidden name="standort" value={r.officeId} />
              <Hidden name={`zeit-${r.officeId}`} value={`${r.from}_${r.to}`} />
            </>
          ))}
          <Hidden name="grund" value={first.reason} />
          <Hidden name="benachrichtigen" value={first.notify ? '1' : '0'} />
          <Hidden name="ersatz" value={first.offerReplacements ? '1' : '0'} />
          <SubmitButton label={s.commit(requests.length)} />
        </form>
        <form method="post" action={`${SEVERAL_CLOSURES_PATH}/aendern`}>
          <CsrfField page={page} />
          <ChoiceAsHidden values={v} choice={choice} />
          <SubmitButton label={m.change} variant="secondary" />
        </form>
      </div>
    </StaffLayout>
  );
}

function SummaryPage({ page, summary }: { page: StaffPage; summary: SeveralSummary }) {
  const s = severalClosureMessages[page.lang];
  const offices = summary.towns.reduce((n, t) => n + t.offices.length, 0);
  return (
    <StaffLayout page={page} title={s.summaryTitle}>
      <p>
        <a class="kern-link" href="/staff/schliessungen">
          {s.back}
        </a>
      </p>
      <h1 class="kern-heading-large">{s.summaryTitle}</h1>
      <Alert variant="success" title={s.summaryIntro} role="status" />
      <ul class="closure-summary">
        {summary.towns.map((t) => (
          <li class="kern-body">{s.summaryTown(t.name, t.affected, t.offices.length)}</li>
        ))}
      </ul>
      <p class="kern-body">{`${s.total}: ${s.affected(summary.affected, offices)}`}</p>
      {/* A region that scrolls sideways on a phone instead of the page (WCAG 1.4.10). */}
      <StaffTable label={s.summaryTable} columns={[s.town, s.office, s.affectedCol, closureMessages[page.lang].colList.link]}>
        {summary.towns.flatMap((t) =>
          t.offices.map((o) => (
            <tr>
              <td>{t.name}</td>
              <th scope="row">{o.name}</th>
              <td class="time">{o.affected}</td>
              <td>
                <a class="kern-link" href={`/staff/schliessungen/${o.closureId}`}>
                  {s.open}
                  <span class="kern-sr-only">{`: ${o.name}`}</span>
                </a>
              </td>
            </tr>
          )),
        )}
      </StaffTable>
    </StaffLayout>
  );
}
