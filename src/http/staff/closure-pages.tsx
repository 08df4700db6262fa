import { Hono, type Context } from 'hono';
import { Temporal } from 'temporal-polyfill';
import { findOffice } from '../../app/shared/catalogue.ts';
import { listCounters } from '../../app/counter/list-counters.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { findRecentDuplicate, listClosures, type ClosureSummary } from '../../app/closures/list-closures.ts';
import { PERSON_FILTERS, readClosureReport, type ClosureReport, type PersonFilter } from '../../app/closures/read-closure-report.ts';
import { startClosureJob } from '../../app/closures/closure-runner.ts';
import { openClosure, previewClosure } from '../../app/closures/open-closure.ts';
import { openExtraCapacity } from '../../app/closures/open-extra-capacity.ts';
import { readClosureTemplates, type ClosureTemplates } from '../../app/messaging/message-templates.ts';
import type { OfficeFacts as MessageOffice } from '../../app/messaging/closure-messages.ts';
import { readLocalInstant } from '../../domain/calendar-text.ts';
import type { Reachability } from '../../domain/closure.ts';
import {
  CLOSURE_CHOICES,
  closureWindowFromChoice,
  isClosureChoiceProblem,
  type ClosureChoice,
  type ClosureChoiceKind,
} from '../../domain/closure-window.ts';
import { DomainError } from '../../domain/errors.ts';
import { actorOf, hasRole } from '../../domain/staff-access.ts';
import { ERROR_MESSAGES } from '../api/error-messages.ts';
import type { UiLanguage } from '../language.ts';
import { href } from '../pages/page-context.ts';
import { Alert, ErrorSummary, FieldError, Hidden, SubmitButton, type FormError } from '../pages/components.tsx';
import { formatWhen } from './dates.ts';
import type { StaffEnv } from './auth.ts';
import { closureMessages, type ClosureMessages } from './messages/closures.ts';
import { templateMessages } from './messages/messaging-templates.ts';
import { CsrfField, requirePageRole, requireStage, StaffLayout, staffPageFor, type StaffPage } from './page.tsx';
import { StaffTable } from './staff-table.tsx';
import { PeriodFields } from './closure-period-fields.tsx';
import { NoticePreview, officeFacts } from './messaging-template-pages.tsx';
import { localPlainDate } from '../../domain/zoned-time.ts';
import { severalClosureMessages } from './messages/closures-several.ts';

// The team lead's side of closing an office (#5): a form with quick choices for the period, a
// preview of who is affected and how they can be reached (nothing changes until "Jetzt schließen"),
// then a progress page per closure that refreshes itself without JavaScript, and the office's list.

type Log = (message: string, error?: unknown) => void;

/** What the form holds, as typed by the team lead (re-shown unchanged after an error). */
export type ClosureFormValues = {
  scope: 'office' | 'counters';
  counters: number[];
  choice: ClosureChoiceKind;
  date: string;
  untilDate: string;
  from: string;
  to: string;
  reason: string;
  notify: boolean;
  offer: boolean;
};

type Counter = { number: number; name: string };
type OfficeFacts = { id: string; name: string; timeZone: string; counters: Counter[] };

export function closurePages(ctx: AppContext, log: Log = () => {}) {
  const pages = new Hono<StaffEnv>();
  pages.use('/schliessungen', requireStage('active'), requirePageRole('teamlead'));
  pages.use('/schliessungen/*', requireStage('active'), requirePageRole('teamlead'));

  const officeOf = async (c: Context<StaffEnv>): Promise<OfficeFacts | null> => {
    const officeId = c.get('session')?.officeId;
    if (!officeId) return null;
    const office = await findOffice(ctx.db, officeId);
    if (!office) return null;
    const counters = await listCounters(ctx.db, officeId);
    return { id: office.id, name: office.name, timeZone: office.time_zone, counters };
  };

  const showForm = async (
    c: Context<StaffEnv>,
    office: OfficeFacts,
    values: ClosureFormValues,
    errors: FormError[],
    extra?: ExtraState,
  ) => {
    const closures = await listClosures(ctx, c.get('principal'), { officeId: office.id });
    const extraState = extra ?? {
      values: defaultExtra(ctx.now(), office.timeZone),
      error: null,
      notice: c.req.query('zusatz') ? closureMessages[staffPageFor(c).lang].extra.opened(Number(c.req.query('zusatz'))) : null,
    };
    const status = errors.length > 0 || extraState.error ? 422 : 200;
    // Several offices at once (#20): for whoever has more than one office to close, the Kreis's admin above all.
    const principal = c.get('principal');
    const several = hasRole(principal, 'admin') || principal.officeIds.length > 1;
    return c.html(
      <ClosureListPage
        page={staffPageFor(c)}
        office={office}
        values={values}
        errors={errors}
        closures={closures}
        extra={extraState}
        several={several}
      />,
      status,
    );
  };

  pages.get('/schliessungen', async (c) => {
    const office = await officeOf(c);
    if (!office) return c.redirect('/staff/standort', 303);
    return showForm(c, office, defaultValues(ctx.now(), office.timeZone), []);
  });

  pages.post('/schliessungen/vorschau', async (c) => {
    const office = await officeOf(c);
    if (!office) return c.redirect('/staff/standort', 303);
    const page = staffPageFor(c);
    const values = readForm(await c.req.parseBody());
    const checked = checkForm(values, office, ctx.now(), closureMessages[page.lang]);
    if ('errors' in checked) return showForm(c, office, values, checked.errors);
    let preview: Reachability;
    try {
      preview = await previewClosure(ctx, { officeId: office.id, ...checked.request });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'validation_failed')
        return showForm(c, office, values, [{ field: 'zeitraum', message: ERROR_MESSAGES.validation_failed[page.lang] }]);
      throw error;
    }
    // The wording is the municipality's: admins change it, team leads may only look at it and try texts (/staff/verwaltung/texte/schliessung).
    const sample = {
      office: await officeFacts(ctx, office.id),
      templates: await readClosureTemplates(ctx, office.id),
      now: ctx.now(),
      publicUrl: ctx.settings.publicUrl,
      canEditTemplate: hasRole(c.get('principal'), 'admin'),
    };
    return c.html(<PreviewPage page={page} office={office} values={values} request={checked.request} preview={preview} sample={sample} />);
  });

  // "Angaben ändern" on the preview: the form again, filled in as it was.
  pages.post('/schliessungen/aendern', async (c) => {
    const office = await officeOf(c);
    if (!office) return c.redirect('/staff/standort', 303);
    return showForm(c, office, readForm(await c.req.parseBody()), []);
  });

  pages.post('/schliessungen', async (c) => {
    const office = await officeOf(c);
    if (!office) return c.redirect('/staff/standort', 303);
    const principal = c.get('principal');
    const form = await c.req.parseBody();
    const request = readCommit(form);
    if (!request)
      return showForm(c, office, readForm(form), [{ field: 'zeitraum', message: ERROR_MESSAGES.validation_failed[staffPageFor(c).lang] }]);
    // A second click on "Jetzt schließen" (or the browser's resend) must not close the counters twice.
    const duplicate = await findRecentDuplicate(ctx, { officeId: office.id, ...request, actor: actorOf(principal) });
    if (duplicate) return c.redirect(`/staff/schliessungen/${duplicate}`, 303);
    let opened;
    try {
      opened = await openClosure(ctx, { officeId: office.id, ...request, actor: actorOf(principal) });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'validation_failed')
        return showForm(c, office, readForm(form), [
          { field: 'zeitraum', message: ERROR_MESSAGES.validation_failed[staffPageFor(c).lang] },
        ]);
      throw error;
    }
    void startClosureJob(ctx, opened.closure.id, log);
    return c.redirect(`/staff/schliessungen/${opened.closure.id}`, 303);
  });

  // Extra seats only replacements may use (a Saturday, longer hours): app/closures/open-extra-capacity.ts.
  pages.post('/schliessungen/zusatzplaetze', async (c) => {
    const office = await officeOf(c);
    if (!office) return c.redirect('/staff/standort', 303);
    const form = await c.req.parseBody();
    const values: ExtraValues = {
      date: text(form, 'zusatz-datum'),
      from: text(form, 'zusatz-von'),
      to: text(form, 'zusatz-bis'),
      counters: text(form, 'zusatz-schalter'),
    };
    const m = closureMessages[staffPageFor(c).lang];
    const fromMs = readLocalInstant(`${values.date}T${values.from}`, office.timeZone);
    const toMs = readLocalInstant(`${values.date}T${values.to}`, office.timeZone);
    const counters = Number(values.counters);
    const bad = () => showForm(c, office, defaultValues(ctx.now(), office.timeZone), [], { values, error: m.extra.invalid, notice: null });
    if (fromMs === null || toMs === null || !Number.isInteger(counters)) return bad();
    try {
      const opened = await openExtraCapacity(ctx, c.get('principal'), { officeId: office.id, from: fromMs, to: toMs, counters });
      return c.redirect(`/staff/schliessungen?zusatz=${opened.seats}#zusatz`, 303);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'validation_failed') return bad();
      throw error;
    }
  });

  pages.get('/schliessungen/:id{[0-9a-fA-F-]{36}}', async (c) => {
    const filter = PERSON_FILTERS.find((f) => f === c.req.query('zustand')) ?? null;
    const report = await readClosureReport(ctx, c.get('principal'), c.req.param('id'), { filter, page: Number(c.req.query('seite')) || 1 });
    const office = await findOffice(ctx.db, report.closure.officeId);
    return c.html(
      <ProgressPage
        page={staffPageFor(c)}
        officeName={office?.name ?? report.closure.officeId}
        report={report}
        auto={c.req.query('auto') === '1'}
      />,
    );
  });
  return pages;
}

export function defaultValues(now: number, timeZone: string): ClosureFormValues {
  const today = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(timeZone);
  return {
    scope: 'office',
    counters: [],
    choice: today.hour < 18 ? 'now-until-18' : 'day',
    date: today.toPlainDate().toString(),
    untilDate: '',
    from: '',
    to: '',
    reason: '',
    notify: true,
    offer: true,
  };
}

type Form = Record<string, string | File | (string | File)[]>;
const text = (form: Form, name: string) => (typeof form[name] === 'string' ? form[name].trim() : '');

export function readForm(form: Form): ClosureFormValues {
  const choice = CLOSURE_CHOICES.find((k) => k === text(form, 'zeitraum')) ?? 'now-until-18';
  const counters = Object.keys(form)
    .map((k) => /^schalter-(\d{1,4})$/.exec(k)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  return {
    scope: text(form, 'umfang') === 'schalter' ? 'counters' : 'office',
    counters,
    choice,
    date: text(form, 'datum'),
    untilDate: text(form, 'bis-datum'),
    from: text(form, 'von'),
    to: text(form, 'bis'),
    reason: text(form, 'grund').slice(0, 200),
    notify: text(form, 'benachrichtigen') !== '',
    offer: text(form, 'ersatz') !== '',
  };
}

type CheckedRequest = { from: number; to: number; reason: string; counters: number[] | null; notify: boolean; offerReplacements: boolean };

/** The form's values as a closure request, or the problems to show next to their fields. */
export function checkForm(
  values: ClosureFormValues,
  office: OfficeFacts,
  now: number,
  m: ClosureMessages,
): { request: CheckedRequest } | { errors: FormError[] } {
  const errors: FormError[] = [];
  const choice: ClosureChoice =
    values.choice === 'day'
      ? { kind: 'day', date: values.date }
      : values.choice === 'days'
        ? { kind: 'days', date: values.date, untilDate: values.untilDate }
        : values.choice === 'free'
          ? { kind: 'free', from: values.from, to: values.to }
          : { kind: values.choice };
  const window = closureWindowFromChoice(choice, { now, timeZone: office.timeZone });
  if (isClosureChoiceProblem(window))
    errors.push({ field: { date: 'datum', untilDate: 'bis-datum', from: 'von', to: 'bis' }[window.field], message: m.problem(window) });
  const counters = values.scope === 'counters' ? values.counters.filter((n) => office.counters.some((k) => k.number === n)) : null;
  if (counters !== null && counters.length === 0)
    errors.push({ field: office.counters[0] ? `schalter-${office.counters[0].number}` : 'umfang-amt', message: m.countersMissing });
  if (values.reason.length === 0) errors.push({ field: 'grund', message: m.reasonMissing });
  if (errors.length > 0 || isClosureChoiceProblem(window)) return { errors };
  return {
    request: { from: window.from, to: window.to, reason: values.reason, counters, notify: values.notify, offerReplacements: values.offer },
  };
}

/** The hidden fields of the preview's commit form: exactly what was previewed, as instants. */
function readCommit(form: Form): CheckedRequest | null {
  const from = Number(text(form, 'from-ms'));
  const to = Number(text(form, 'to-ms'));
  const countersText = text(form, 'counters');
  const counters = countersText === '' ? null : countersText.split(',').map(Number);
  const reason = text(form, 'grund');
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || reason === '' || reason.length > 200) return null;
  if (counters !== null && counters.some((n) => !Number.isInteger(n) || n < 1)) return null;
  return { from, to, reason, counters, notify: text(form, 'benachrichtigen') === '1', offerReplacements: text(form, 'ersatz') === '1' };
}

/** „Do., 26.11.2026, 08:00 – 18:00“ from two office-local ISO times. */
export const period = (from: string, to: string, lang: UiLanguage) =>
  `${formatWhen(from, lang)} – ${from.slice(0, 10) === to.slice(0, 10) ? to.slice(11, 16) : formatWhen(to, lang)}`;

type ExtraValues = { date: string; from: string; to: string; counters: string };
type ExtraState = { values: ExtraValues; error: string | null; notice: string | null };

/** Next Saturday 09:00–13:00 with one counter: the usual way to catch up after a closed day. */
export function defaultExtra(now: number, timeZone: string): ExtraValues {
  const today = localPlainDate(now, timeZone);
  return { date: today.add({ days: (6 - today.dayOfWeek + 7) % 7 || 7 }).toString(), from: '09:00', to: '13:00', counters: '1' };
}

function ExtraCapacityForm({ page, m, extra }: { page: StaffPage; m: ClosureMessages; extra: ExtraState }) {
  const field = (
    id: string,
    label: string,
    type: 'date' | 'time' | 'number',
    value: string,
    attrs: Record<string, string | number> = {},
  ) => (
    <div class={`kern-form-input${extra.error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={id}>
        {label}
      </label>
      <input
        class="kern-form-input__input"
        type={type}
        id={id}
        name={id}
        value={value}
        aria-describedby={extra.error ? 'zusatz-fehler' : undefined}
        {...attrs}
      />
    </div>
  );
  return (
    <section aria-labelledby="zusatz" class="closure-extra">
      <h2 id="zusatz" class="kern-heading-medium" tabindex={-1}>
        {m.extra.title}
      </h2>
      {extra.notice ? <Alert variant="success" title={extra.notice} role="status" /> : null}
      {extra.error ? (
        <div role="alert">
          <FieldError id="zusatz-fehler" message={extra.error} />
        </div>
      ) : null}
      <p class="kern-body">{m.extra.intro}</p>
      <form method="post" action="/staff/schliessungen/zusatzplaetze" novalidate>
        <CsrfField page={page} />
        <div class="closure-form__times">
          {field('zusatz-datum', m.extra.date, 'date', extra.values.date)}
          {field('zusatz-von', m.extra.from, 'time', extra.values.from, { step: 300 })}
          {field('zusatz-bis', m.extra.to, 'time', extra.values.to, { step: 300 })}
          {field('zusatz-schalter', m.extra.counters, 'number', extra.values.counters, { min: 1, max: 20, inputmode: 'numeric' })}
        </div>
        <SubmitButton label={m.extra.submit} variant="secondary" />
      </form>
    </section>
  );
}

function ClosureListPage({
  page,
  office,
  values,
  errors,
  closures,
  extra,
  several,
}: {
  page: StaffPage;
  office: OfficeFacts;
  values: ClosureFormValues;
  errors: FormError[];
  closures: ClosureSummary[];
  extra: ExtraState;
  several: boolean;
}) {
  const m = closureMessages[page.lang];
  return (
    <StaffLayout page={page} title={`${m.title} – ${office.name}`} hasErrors={errors.length > 0}>
      <h1 class="kern-heading-large">{`${m.title} – ${office.name}`}</h1>
      <ErrorSummary title={m.errorTitle} errors={errors} />
      <p class="kern-body">{m.intro}</p>
      {several ? (
        <p class="kern-body">
          <a class="kern-link" href="/staff/schliessungen/mehrere">
            {severalClosureMessages[page.lang].link}
          </a>
        </p>
      ) : null}
      <section aria-labelledby="neue-schliessung">
        <h2 id="neue-schliessung" class="kern-heading-medium">
          {m.newTitle}
        </h2>
        <ClosureForm page={page} m={m} office={office} values={values} errors={errors} />
      </section>
      <ExtraCapacityForm page={page} m={m} extra={extra} />
      <section aria-labelledby="bisherige">
        <h2 id="bisherige" class="kern-heading-medium">
          {m.listTitle}
        </h2>
        {closures.length === 0 ? (
          <p class="kern-body">{m.none}</p>
        ) : (
          <div class="staff-scroll">
            <table class="staff-table">
              <thead>
                <tr>
                  <th scope="col">{m.colList.period}</th>
                  <th scope="col">{m.colList.scope}</th>
                  <th scope="col">{m.colList.reason}</th>
                  <th scope="col">{m.colList.state}</th>
                  <th scope="col">{m.colList.link}</th>
                </tr>
              </thead>
              <tbody>
                {closures.map((k) => (
                  <tr>
                    <td class="time">{period(k.from, k.to, page.lang)}</td>
                    <td>{m.scopeValue(k.counters)}</td>
                    <td>{k.reason}</td>
                    <td>
                      {m.state[k.state] ?? k.state}: {m.listProgress(k.total, k.pending)}
                    </td>
                    <td>
                      <a class="kern-link" href={`/staff/schliessungen/${k.id}`}>
                        {m.open}
                        <span class="kern-sr-only">{`: ${period(k.from, k.to, page.lang)}`}</span>
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </StaffLayout>
  );
}

function ClosureForm({
  page,
  m,
  office,
  values,
  errors,
}: {
  page: StaffPage;
  m: ClosureMessages;
  office: OfficeFacts;
  values: ClosureFormValues;
  errors: FormError[];
}) {
  const countersError = errors.find((e) => e.field.startsWith('schalter-'))?.message;
  return (
    <form method="post" action="/staff/schliessungen/vorschau" novalidate class="closure-form">
      <CsrfField page={page} />
      <fieldset class="kern-fieldset">
        <legend class="kern-label">{m.scope}</legend>
        <div class="kern-fieldset__body">
          <div class="kern-form-check">
            <input
              class="kern-form-check__radio"
              type="radio"
              name="umfang"
              value="amt"
              id="umfang-amt"
              checked={values.scope === 'office'}
            />
            <label class="kern-label" for="umfang-amt">
              {m.wholeOffice}
            </label>
          </div>
          <div class="kern-form-check">
            <input
              class="kern-form-check__radio"
              type="radio"
              name="umfang"
              value="schalter"
              id="umfang-schalter"
              checked={values.scope === 'counters'}
              disabled={office.counters.length === 0 || undefined}
            />
            <label class="kern-label" for="umfang-schalter">
              {m.someCounters}
            </label>
          </div>
          {office.counters.length === 0 ? <p class="kern-hint">{m.noCounters}</p> : null}
          <div class="closure-form__counters">
            {office.counters.map((k) => (
              <div class="kern-form-check">
                <input
                  class="kern-form-check__checkbox"
                  type="checkbox"
                  name={`schalter-${k.number}`}
                  id={`schalter-${k.number}`}
                  value="1"
                  checked={values.counters.includes(k.number)}
                />
                <label class="kern-label" for={`schalter-${k.number}`}>
                  {m.counter(k.number, k.name)}
                </label>
              </div>
            ))}
          </div>
          <FieldError id="schalter-fehler" message={countersError} />
        </div>
      </fieldset>
      <PeriodFields m={m} values={values} errors={errors} />
      <SubmitButton label={m.previewButton} />
    </form>
  );
}

/** The form's values again as hidden fields, so "Angaben ändern" brings the form back as it was. */
function FormAsHidden({ values }: { values: ClosureFormValues }) {
  return (
    <>
      <Hidden name="umfang" value={values.scope === 'counters' ? 'schalter' : 'amt'} />
      {values.counters.map((n) => (
        <Hidden name={`schalter-${n}`} value="1" />
      ))}
      <Hidden name="zeitraum" value={values.choice} />
      <Hidden name="datum" value={values.date} />
      <Hidden name="bis-datum" value={values.untilDate} />
      <Hidden name="von" value={values.from} />
      <Hidden name="bis" value={values.to} />
      <Hidden name="grund" value={values.reason} />
      {values.notify ? <Hidden name="benachrichtigen" value="1" /> : null}
      {values.offer ? <Hidden name="ersatz" value="1" /> : null}
    </>
  );
}

type Sample = { office: MessageOffice; templates: ClosureTemplates; now: number; publicUrl: string; canEditTemplate: boolean };

function PreviewPage({
  page,
  office,
  values,
  request,
  preview,
  sample,
}: {
  page: StaffPage;
  office: OfficeFacts;
  values: ClosureFormValues;
  request: CheckedRequest;
  preview: Reachability;
  sample: Sample;
}) {
  const m = closureMessages[page.lang];
  const zone = (ms: number) =>
    Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(office.timeZone).toString({ timeZoneName: 'never' });
  const rows: [string, number][] = [
    [m.reach.email, preview.email],
    [m.reach.sms, preview.sms],
    [m.reach.phoneOnly, preview.phoneOnly],
    [m.reach.unreachable, preview.unreachable],
  ];
  return (
    <StaffLayout page={page} title={m.previewTitle}>
      <h1 class="kern-heading-large">{m.previewTitle}</h1>
      <Alert variant="warning" title={m.previewIntro} />
      <dl class="kern-description-list">
        {(
          [
            [m.office, office.name],
            [m.period, period(zone(request.from), zone(request.to), page.lang)],
            [m.scope, m.scopeValue(request.counters)],
            [m.reason.split(' (')[0]!, request.reason],
            [m.notify.split(' (')[0]!, request.notify ? m.yes : m.no],
            [m.offer, request.offerReplacements ? m.yes : m.no],
          ] as [string, string][]
        ).map(([k, v]) => (
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">{k}</dt>
            <dd class="kern-description-list-item__value">{v}</dd>
          </div>
        ))}
      </dl>
      <p class="kern-heading-medium closure-affected" role="status">
        {m.affected(preview.appointments)}
      </p>
      {preview.appointments === 0 ? (
        <p class="kern-body">{m.nobody}</p>
      ) : (
        <table class="staff-table closure-reach">
          <caption class="kern-body">{m.reachCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{m.reachHow}</th>
              <th scope="col">{m.count}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, n]) => (
              <tr>
                <th scope="row">{label}</th>
                <td class="time">{n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="closure-actions">
        <form method="post" action="/staff/schliessungen">
          <CsrfField page={page} />
          <Hidden name="from-ms" value={String(request.from)} />
          <Hidden name="to-ms" value={String(request.to)} />
          <Hidden name="counters" value={request.counters === null ? '' : request.counters.join(',')} />
          <Hidden name="grund" value={request.reason} />
          <Hidden name="benachrichtigen" value={request.notify ? '1' : '0'} />
          <Hidden name="ersatz" value={request.offerReplacements ? '1' : '0'} />
          <SubmitButton label={m.commit} />
        </form>
        <form method="post" action="/staff/schliessungen/aendern">
          <CsrfField page={page} />
          <FormAsHidden values={values} />
          <SubmitButton label={m.change} variant="secondary" />
        </form>
      </div>
      {request.notify ? (
        <section aria-labelledby="nachricht-beispiel">
          <h2 id="nachricht-beispiel" class="kern-heading-medium">
            {templateMessages[page.lang].messageTitle}
          </h2>
          <p class="kern-body">
            {templateMessages[page.lang].previewIntro}{' '}
            <a class="kern-link" href="/staff/verwaltung/texte/schliessung">
              {sample.canEditTemplate ? templateMessages[page.lang].editLink : templateMessages[page.lang].viewLink}
            </a>
          </p>
          <NoticePreview
            lang={page.lang}
            office={sample.office}
            reason={request.reason}
            templates={sample.templates}
            now={sample.now}
            publicUrl={sample.publicUrl}
          />
        </section>
      ) : null}
    </StaffLayout>
  );
}

function ProgressPage({ page, officeName, report, auto }: { page: StaffPage; officeName: string; report: ClosureReport; auto: boolean }) {
  const m = closureMessages[page.lang];
  const { closure, progress, people, counts, list } = report;
  const waiting = counts.waiting;
  const jobDone = closure.state === 'done' && progress.pending === 0;
  // Worth refreshing while the job runs and while messages still wait for the outbox worker. A page
  // that reloads itself unasked fails WCAG 2.2.1, so it does so only after the team lead switched it on.
  const busy = !jobDone || waiting > 0;
  const refresh = busy && auto;
  const self = `/staff/schliessungen/${closure.id}`;
  // Every figure is also the filter of the list below it; the page's own refresh keeps filter and page.
  const listHref = (filter: PersonFilter | null, n = 1, auto = refresh) =>
    href(self, { zustand: filter ?? undefined, seite: n > 1 ? String(n) : undefined, auto: auto ? '1' : undefined });
  const here = (auto: boolean) => listHref(list.filter, list.page, auto);
  const figures: [PersonFilter | null, string, number][] = [
    [null, m.counts.total, progress.total],
    ...PERSON_FILTERS.map((f): [PersonFilter, string, number] => [f, m.counts[f], counts[f]]),
  ];
  const first = (list.page - 1) * list.pageSize + 1;
  const title = `${m.progressTitle}: ${officeName}, ${period(closure.from, closure.to, page.lang)}`;
  return (
    <StaffLayout page={page} title={title} head={refresh ? <meta http-equiv="refresh" content="10" /> : undefined}>
      <p>
        <a class="kern-link" href="/staff/schliessungen">
          {m.back}
        </a>
      </p>
      <h1 class="kern-heading-large">{title}</h1>
      <p class="kern-body">
        {m.scopeValue(closure.counters)} · {closure.reason}
      </p>
      <div role="status">
        {jobDone ? (
          <Alert variant="success" title={m.done} />
        ) : (
          <Alert variant="info" title={`${m.running} ${m.progress(progress.done + progress.skipped, progress.total)}`} />
        )}
      </div>
      {jobDone && waiting > 0 ? <p class="kern-body">{m.messagesWaiting(waiting)}</p> : null}
      {busy && !refresh ? <p class="kern-body">{m.progressIntro}</p> : null}
      {refresh ? <p class="kern-body">{m.autoActive}</p> : null}
      <p>
        <a class="kern-link" href={here(refresh)}>
          {m.reload}
        </a>
        {busy ? (
          <>
            {' · '}
            <a class="kern-link" href={here(!refresh)}>
              {refresh ? m.autoOff : m.autoOn}
            </a>
          </>
        ) : null}
        {' · '}
        <a class="kern-link" href="/staff/anrufliste">
          {m.callListLink}
        </a>
        {' · '}
        <a class="kern-link" href="/staff/nachrichten">
          {m.messagesLink}
        </a>
      </p>
      <p class="kern-body">{m.filterHint}</p>
      <dl class="stat-figures">
        {figures.map(([filter, label, n]) => (
          <div class={filter === list.filter ? 'is-current' : undefined}>
            <dt>
              <a class="kern-link" href={`${listHref(filter)}#betroffene`} aria-current={filter === list.filter ? 'true' : undefined}>
                {label}
              </a>
            </dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
      <h2 class="kern-heading-medium" id="betroffene">
        {list.filter ? `${m.people}: ${m.counts[list.filter]}` : m.people}
      </h2>
      <p class="kern-body">{list.matching === 0 ? m.noneMatching : m.shown(first, first + people.length - 1, list.matching)}</p>
      <StaffTable label={m.people} columns={[m.col.reference, m.col.name, m.col.channel, m.col.message, m.col.offer, m.col.callList]}>
        {people.map((p) => (
          <tr>
            <td class="time">{p.reference}</td>
            <td>{p.name ?? '–'}</td>
            <td>{m.channel[p.channel] ?? p.channel}</td>
            <td>
              {p.state === 'pending'
                ? m.itemPending
                : p.state === 'skipped'
                  ? m.itemSkipped
                  : p.message
                    ? (m.messageState[p.message.state] ?? p.message.state)
                    : '–'}
              {p.message?.lastError ? <span class="closure-error">{` (${p.message.lastError})`}</span> : null}
            </td>
            <td>
              {p.offer ? (m.offerState[p.offer.state] ?? p.offer.state) : '–'}
              {p.offer?.held ? `: ${p.offer.held.reference}, ${formatWhen(p.offer.held.start, page.lang)}` : ''}
            </td>
            <td>{p.callList ? (m.callState[p.callList.state] ?? p.callList.state) : '–'}</td>
          </tr>
        ))}
      </StaffTable>
      {list.pages > 1 ? (
        <nav class="staff-pager" aria-label={m.pagerLabel}>
          {list.page > 1 ? (
            <a class="kern-link" href={`${listHref(list.filter, list.page - 1)}#betroffene`}>
              {m.previousPage}
            </a>
          ) : null}
          <span>{m.pageOf(list.page, list.pages)}</span>
          {list.page < list.pages ? (
            <a class="kern-link" href={`${listHref(list.filter, list.page + 1)}#betroffene`}>
              {m.nextPage}
            </a>
          ) : null}
        </nav>
      ) : null}
    </StaffLayout>
  );
}
