import type { Context, Hono } from 'hono';
import type { Slot } from '../../app/booking/search-availability.ts';
import { bookAppointment } from '../../app/booking/book-appointment.ts';
import { collectIfInFairWindow } from '../../app/booking/fair-release.ts';
import { requireOfficeInReach } from '../../app/shared/town-scope.ts';
import { isoInZone } from '../../app/appointments/appointment-record.ts';
import type { Office } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { altchaScripts } from './assets.ts';
import { clientAddress, type BotCheck } from './bot-check.ts';
import { instantOf, nearestAlternatives, readSlot, readValues, validate, type BookingValues } from './booking-form.ts';
import {
  Alert,
  BackLink,
  ErrorSummary,
  Facts,
  FieldError,
  Hidden,
  OfficeName,
  TextInput,
  errorFor,
  type FormError,
} from './components.tsx';
import { formatDateTime, formatMoney, formatTime, localDate } from './format.ts';
import { Layout } from './layout.tsx';
import { href, pageFor, pageScope, siteCatalogue, type CitizenPageOptions, type Page } from './page-context.ts';
import { releaseRequestRoutes } from './booking-release-request-page.tsx';
import { ExistingAppointmentPage } from './appointment-link-request-page.tsx';
import { describeSelection, type SelectionSummary } from './booking-selection.ts';

type Limiter = { take(address: string): boolean };
type FormState = { values: BookingValues; errors: FormError[]; alternatives: Slot[] | null };
type View = { office: Office; selection: SelectionSummary };

const BOOKING_ERRORS_AS_INVALID_SLOT = new Set([
  'start_not_on_grid',
  'unknown_office',
  'unknown_service',
  'service_not_offered',
  'service_not_bookable_online',
  'too_many_persons',
  'validation_failed',
]);

/** Step 3: contact details, consent, bot check; POST books and redirects (303) to the confirmation. */
export function detailsRoutes(app: Hono, options: CitizenPageOptions, deps: { botCheck: BotCheck; fallback: Limiter }) {
  const { ctx } = options;
  releaseRequestRoutes(app, options);

  // The town's services; the office may be a neighbour's, which an "any office" search offered (#20).
  // An office beyond them is not found (404): town A's site never books town B's office.
  const loadView = async (c: Context, values: BookingValues, lang: Page['lang']): Promise<View | null> => {
    const slot = readSlot(values);
    if (!slot) return null;
    await requireOfficeInReach(ctx, pageScope(c), slot.officeId);
    const { searchSchedules, services } = await siteCatalogue(c, options);
    const office = searchSchedules.find((s) => s.office.id === slot.officeId)?.office;
    const selection = describeSelection(services, slot.services, lang);
    return office && selection ? { office, selection } : null;
  };

  const render = (c: Context, view: View, state: FormState, status: 200 | 409 | 422 | 429) => {
    const { values } = state;
    const page = pageFor(c, options, { services: values.services, office: values.office, start: values.start || values.taken });
    return c.html(<DetailsPage page={page} view={view} state={state} />, status);
  };

  app.get('/buchen/angaben', async (c) => {
    const values = readValues(c.req.query());
    const page = pageFor(c, options);
    const view = await loadView(c, { ...values, taken: '' }, page.lang);
    if (!view || !values.start) return c.redirect(values.services ? href('/buchen/termin', { services: values.services }) : '/', 303);
    return c.html(<DetailsPage page={page} view={view} state={{ values: { ...values, taken: '' }, errors: [], alternatives: null }} />);
  });

  app.post('/buchen/angaben', async (c) => {
    const body = await c.req.parseBody();
    const values = readValues(body);
    const page = pageFor(c, options);
    const view = await loadView(c, values, page.lang);
    const slot = readSlot(values);
    if (!view || !slot) return c.redirect('/', 303);
    const alternativesFor = (around: number) =>
      nearestAlternatives(ctx, { services: slot.services, officeId: slot.officeId, around, timeZone: view.office.time_zone });

    const inAlternatives = slot.taken !== null;
    const alternatives = inAlternatives ? await alternativesFor(slot.taken!) : null;
    const errors = validate(values, page.t, inAlternatives ? alternativeId(alternatives?.[0]) : null);
    if (errors.length > 0) return render(c, view, { values, errors, alternatives }, 422);

    const payload = typeof body.altcha === 'string' ? body.altcha : '';
    if (payload ? !(await deps.botCheck.verify(payload)) : !deps.fallback.take(clientAddress(c))) {
      const message = payload ? page.t.details.botFailed : page.t.details.fallbackLimited;
      return render(c, view, { values, errors: [{ field: 'absenden', message }], alternatives }, payload ? 422 : 429);
    }

    try {
      const request = {
        officeId: slot.officeId,
        start: slot.start!,
        services: slot.services,
        citizen: { name: values.name, email: values.email || null, phone: values.phone || null },
        language: page.lang,
      };
      // In a fair release window the request joins the lottery instead of being booked first come.
      const entry = await collectIfInFairWindow(ctx, request);
      if (entry) return c.redirect(entry.token ? `/verlosung/${entry.token}` : '/verlosung/doppelt', 303);
      const { manageToken } = await bookAppointment(ctx, request);
      return c.redirect(`/termin/${manageToken}/gebucht`, 303);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'slot_unavailable') {
        const taken = { ...values, taken: values.start, start: '' };
        return render(c, view, { values: taken, errors: [], alternatives: await alternativesFor(slot.start!) }, 409);
      }
      if (error.code === 'start_in_past')
        return render(c, view, { values, errors: [{ field: 'termin', message: page.t.errors.startInPast }], alternatives }, 422);
      if (error.code === 'contact_required')
        return render(c, view, { values, errors: [{ field: 'email', message: page.t.details.contactRequired }], alternatives }, 422);
      if (error.code === 'contact_limit_reached') {
        const back = href('/buchen/angaben', { services: values.services, office: values.office, start: values.start });
        return c.html(<ExistingAppointmentPage page={page} contact={values.email || values.phone} backHref={back} />, 409);
      }
      if (BOOKING_ERRORS_AS_INVALID_SLOT.has(error.code))
        return render(c, view, { values, errors: [{ field: 'termin', message: page.t.details.invalidSlot }], alternatives }, 422);
      throw error;
    }
  });
}

const alternativeId = (slot: Slot | undefined) => (slot ? `zeit-${slot.start}` : 'zeiten');

function DetailsPage({ page, view, state }: { page: Page; view: View; state: FormState }) {
  const { t, lang, assets } = page;
  const { values, errors, alternatives } = state;
  const { office, selection } = view;
  const tz = office.time_zone;
  const start = values.start && !values.taken ? instantOf(values.start) : null;
  const taken = values.taken ? instantOf(values.taken) : null;
  const when = start
    ? `${formatDateTime(new Date(start), tz, lang)} – ${formatTime(new Date(start + selection.totalMinutes * 60_000), tz, lang)}`
    : null;
  const calendarHref = href('/buchen/termin', { services: values.services, office: values.office, day: localDate((start ?? taken)!, tz) });
  return (
    <Layout
      page={page}
      title={t.details.title}
      hasErrors={errors.length > 0 || taken !== null}
      noindex
      scripts={altchaScripts(assets, lang)}
    >
      <BackLink href={calendarHref} label={t.details.otherTime} />
      <p class="kern-preline">{t.site.step(3, 3)}</p>
      <h1 class="kern-heading-large">{t.details.title}</h1>
      <ErrorSummary title={t.errors.summaryTitle} errors={errors} />
      {taken !== null ? (
        <Alert
          variant="warning"
          title={t.details.slotTakenTitle}
          role={errors.length === 0 ? 'alert' : undefined}
          focus={errors.length === 0}
        >
          <p class="kern-body">
            {formatDateTime(new Date(taken), tz, lang)}: {t.details.slotTakenBody}
          </p>
        </Alert>
      ) : null}
      <h2 class="kern-heading-medium" id="termin" tabindex={-1}>
        {t.details.yourAppointment}
      </h2>
      <Facts
        rows={[
          ...(when ? [[t.appointment.when, when] as [string, string]] : []),
          [t.appointment.where, <OfficeName office={office} />],
          [t.appointment.services, selection.items.map((i) => `${i.name} (${t.units.persons(i.persons)})`).join(', ')],
          [t.appointment.fees, selection.totalFeeCents > 0 ? formatMoney(selection.totalFeeCents, lang) : t.units.free],
        ]}
      />
      {errorFor(errors, 'termin') ? (
        <p>
          <a class="kern-link" href={calendarHref}>
            {t.details.toCalendar}
          </a>
        </p>
      ) : null}
      <p class="kern-body">{t.details.notHeld}</p>
      <form method="post" action="/buchen/angaben" novalidate>
        <Hidden name="services" value={values.services} />
        <Hidden name="office" value={values.office} />
        {taken === null ? (
          <Hidden name="start" value={values.start} />
        ) : (
          <Alternatives
            page={page}
            values={values}
            alternatives={alternatives ?? []}
            timeZone={tz}
            error={errors.find((e) => e.message === t.details.chooseTime)?.message}
            calendarHref={calendarHref}
          />
        )}
        <TextInput
          id="name"
          label={t.details.name}
          value={values.name}
          error={errorFor(errors, 'name')}
          autocomplete="name"
          required
          maxlength={200}
        />
        <ContactFields page={page} values={values} errors={errors} />
        <Consent page={page} checked={values.terms} error={errorFor(errors, 'terms')} />
        <altcha-widget
          challenge="/buchen/pruefung"
          auto="onsubmit"
          display="floating"
          name="altcha"
          language={lang}
          configuration='{"hideFooter":true,"hideLogo":true}'
        ></altcha-widget>
        <div class="actions">
          <button class="kern-btn kern-btn--primary" type="submit" id="absenden">
            <span class="kern-label">{t.details.submit}</span>
          </button>
        </div>
      </form>
    </Layout>
  );
}

function ContactFields({ page, values, errors }: { page: Page; values: BookingValues; errors: FormError[] }) {
  const { t } = page;
  const contactMissing = errors.some((e) => e.message === t.details.contactRequired);
  return (
    <fieldset class={`kern-fieldset${contactMissing ? ' kern-fieldset--error' : ''}`} aria-describedby="kontakt-hinweis">
      <legend class="kern-label">{t.details.contactLegend}</legend>
      <div class="kern-hint" id="kontakt-hinweis">
        {t.details.contactHint}
      </div>
      <div class="kern-fieldset__body">
        <TextInput
          id="email"
          type="email"
          label={t.details.email}
          value={values.email}
          error={errorFor(errors, 'email')}
          autocomplete="email"
          inputmode="email"
          maxlength={254}
        />
        <TextInput
          id="phone"
          type="tel"
          label={t.details.phone}
          value={values.phone}
          error={errorFor(errors, 'phone')}
          autocomplete="tel"
          inputmode="tel"
          maxlength={25}
        />
      </div>
    </fieldset>
  );
}

function Consent({ page, checked, error }: { page: Page; checked: boolean; error: string | undefined }) {
  const { t } = page;
  return (
    <div class="stack">
      <div class={`kern-form-check${error ? ' kern-form-check--error' : ''}`}>
        <input
          class={`kern-form-check__checkbox${error ? ' kern-form-check__checkbox--error' : ''}`}
          type="checkbox"
          id="terms"
          name="terms"
          value="ja"
          checked={checked}
          required
          aria-describedby={error ? 'terms-fehler' : undefined}
          aria-invalid={error ? 'true' : undefined}
        />
        <label class="kern-label" for="terms">
          {t.details.terms}
        </label>
      </div>
      <FieldError id="terms-fehler" message={error} />
      {page.legal.privacyUrl ? (
        <p>
          <a class="kern-link" href={page.legal.privacyUrl}>
            {t.details.termsLink}
          </a>
        </p>
      ) : null}
    </div>
  );
}

function Alternatives(props: {
  page: Page;
  values: BookingValues;
  alternatives: Slot[];
  timeZone: string;
  error: string | undefined;
  calendarHref: string;
}) {
  const { page, values, alternatives, timeZone, error } = props;
  const { t, lang } = page;
  return (
    <>
      <Hidden name="taken" value={values.taken} />
      <fieldset class={`kern-fieldset${error ? ' kern-fieldset--error' : ''}`} id="zeiten">
        <legend class="kern-label">{t.details.alternativesLegend}</legend>
        <div class="kern-fieldset__body">
          {alternatives.length === 0 ? <p class="kern-body">{t.details.noAlternatives}</p> : null}
          {alternatives.map((slot) => {
            const iso = isoInZone(slot.start, timeZone);
            return (
              <div class="kern-form-check">
                <input
                  class="kern-form-check__radio"
                  type="radio"
                  name="start"
                  id={alternativeId(slot)}
                  value={iso}
                  checked={values.start === iso}
                  aria-describedby={error ? 'zeiten-fehler' : undefined}
                />
                <label class="kern-label" for={alternativeId(slot)}>
                  {formatDateTime(new Date(slot.start), timeZone, lang)}
                </label>
              </div>
            );
          })}
        </div>
        <FieldError id="zeiten-fehler" message={error} />
      </fieldset>
      <p>
        <a class="kern-link" href={props.calendarHref}>
          {t.details.toCalendar}
        </a>
      </p>
    </>
  );
}
