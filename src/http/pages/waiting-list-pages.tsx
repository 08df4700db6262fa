import type { Context, Hono } from 'hono';
import { Temporal } from 'temporal-polyfill';
import { catalogue } from '../../app/shared/catalogue.ts';
import { requireOfficeInReach } from '../../app/shared/town-scope.ts';
import { closureSettings } from '../../app/shared/settings.ts';
import {
  acceptWaitingOffer,
  joinWaitingList,
  leaveWaitingList,
  readWaitingEntry,
  type WaitingEntryView,
} from '../../app/waiting-list/waiting-list.ts';
import type { Office } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { Email, IsoDate, Phone } from '../edge-fields.ts';
import {
  Alert,
  BackLink,
  ErrorSummary,
  Facts,
  FieldError,
  Hidden,
  LinkButton,
  SubmitButton,
  TextInput,
  errorFor,
  type FormError,
} from './components.tsx';
import { altchaScripts } from './assets.ts';
import { clientAddress, type BotCheck } from './bot-check.ts';
import { MessagePage } from './error-pages.tsx';
import { AcceptOffer, DecidedOffer } from './closure-offer-blocks.tsx';
import { formatDateTime, formatLongDate, formatTime, localDate } from './format.ts';
import { Layout } from './layout.tsx';
import { waitingListTexts, type WaitingListTexts } from './messages/waiting-list-texts.ts';
import { href, pageFor, pageScope, siteCatalogue, type CitizenPageOptions, type Page } from './page-context.ts';
import { describeSelection, parseServices, servicesParam, type SelectionSummary } from './booking-selection.ts';

// The waiting list (#5) in the browser: the form reached from "no free slot", the entry page with
// the place in line (and the held offer, when there is one), and leaving. The entry link in the
// mail only shows; accepting, declining and leaving are POSTs, so a mail scanner opening every link
// changes nothing.

const ENTRY = '/warteliste/:token{[A-Za-z0-9_-]{43}}';
const base = (token: string) => `/warteliste/${token}`;
const TIMES = { ganztags: ['00:00', '24:00'], vormittags: ['00:00', '12:00'], nachmittags: ['12:00', '24:00'] } as const;
type TimeChoice = keyof typeof TIMES;
const DEFAULT_DAYS = 60;

type Values = {
  services: string;
  offices: string[];
  from: string;
  to: string;
  weekdays: number[];
  time: TimeChoice;
  name: string;
  email: string;
  phone: string;
  terms: boolean;
};
type FormView = { selection: SelectionSummary; offices: Office[] };
/** Suitable times that were free when joining was refused (#22 item 5), as the app names them. */
type FreeSlot = { officeId: string; start: string };

export function waitingListRoutes(
  app: Hono,
  options: CitizenPageOptions,
  deps: { botCheck: BotCheck; fallback: { take(address: string): boolean } },
) {
  const { ctx } = options;
  const token = (c: Context) => c.req.param('token')!;

  // The town's services, at its offices and its neighbours' (#20).
  const formView = async (c: Context, servicesParam: string, lang: Page['lang']): Promise<FormView | null> => {
    const chosen = parseServices(servicesParam);
    if (!chosen) return null;
    const { services, searchSchedules } = await siteCatalogue(c, options);
    const selection = describeSelection(services, chosen, lang);
    if (!selection) return null;
    const offices = searchSchedules.filter((s) => chosen.every((x) => s.serviceIds.has(x.serviceId))).map((s) => s.office);
    return offices.length > 0 ? { selection, offices } : null;
  };

  const renderForm = (
    c: Context,
    view: FormView,
    values: Values,
    errors: FormError[],
    status: 200 | 409 | 422 | 429,
    freeSlots: FreeSlot[] = [],
  ) => {
    const page = pageFor(c, options, { services: values.services });
    return c.html(
      <JoinPage
        page={page}
        w={waitingListTexts(page.lang)}
        view={view}
        values={values}
        errors={errors}
        freeSlots={freeSlots}
        holdHours={closureSettings(ctx).waitlistHoldHours}
      />,
      status,
    );
  };

  app.get('/warteliste/eintragen', async (c) => {
    const page = pageFor(c, options);
    const services = c.req.query('services') ?? '';
    const view = await formView(c, services, page.lang);
    if (!view) return c.redirect('/', 303);
    const office = c.req.query('office');
    const today = localDate(ctx.now(), view.offices[0]!.time_zone);
    const values: Values = {
      services,
      offices: view.offices.some((o) => o.id === office) ? [office!] : view.offices.map((o) => o.id),
      from: today,
      to: Temporal.PlainDate.from(today).add({ days: DEFAULT_DAYS }).toString(),
      weekdays: [1, 2, 3, 4, 5],
      time: 'ganztags',
      name: '',
      email: '',
      phone: '',
      terms: false,
    };
    return renderForm(c, view, values, [], 200);
  });

  app.post('/warteliste/eintragen', async (c) => {
    const body = await c.req.parseBody({ all: true });
    const page = pageFor(c, options);
    const w = waitingListTexts(page.lang);
    const values = readValues(body);
    const view = await formView(c, values.services, page.lang);
    if (!view) return c.redirect('/', 303);
    // An office beyond the town and its neighbours is not found (404), as when booking.
    for (const officeId of values.offices) await requireOfficeInReach(ctx, pageScope(c), officeId);
    const errors = validate(values, page, w);
    if (errors.length > 0) return renderForm(c, view, values, errors, 422);
    // Proof of work with JavaScript; without it, a few joins per hour and address (as for booking).
    const payload = typeof body.altcha === 'string' ? body.altcha : '';
    if (payload ? !(await deps.botCheck.verify(payload)) : !deps.fallback.take(clientAddress(c))) {
      return renderForm(
        c,
        view,
        values,
        [{ field: 'absenden', message: payload ? page.t.details.botFailed : page.t.details.fallbackLimited }],
        payload ? 422 : 429,
      );
    }
    try {
      const [fromTime, toTime] = TIMES[values.time];
      const { token: created } = await joinWaitingList(ctx, {
        services: parseServices(values.services)!,
        officeIds: values.offices,
        earliestDate: values.from,
        latestDate: values.to,
        weekdays: values.weekdays,
        fromTime,
        toTime,
        citizen: { name: values.name, email: values.email || null, phone: values.phone || null },
        language: page.lang,
      });
      return c.redirect(`${base(created)}?erfolg=eingetragen`, 303);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // Free times are offered instead of an entry; the form stays filled in below them.
      if (error.code === 'slots_available') {
        const slots = (error.details as { slots?: FreeSlot[] } | undefined)?.slots ?? [];
        return renderForm(c, view, values, [], 409, slots);
      }
      const mapped = domainErrors(error, w);
      if (!mapped) throw error;
      return renderForm(c, view, values, mapped, error.code === 'already_exists' ? 409 : 422);
    }
  });

  const notFound = (c: Context) => {
    const w = waitingListTexts(pageFor(c, options).lang);
    return MessagePage(c, options, { title: w.notFoundTitle, body: w.notFoundBody }, 404);
  };
  const notPossible = (c: Context) => {
    const w = waitingListTexts(pageFor(c, options).lang);
    return MessagePage(c, options, { title: w.entryTitle, body: w.notPossible, link: { href: base(token(c)), label: w.toEntry } }, 409);
  };
  const limitReached = async (c: Context) => {
    const { lang } = pageFor(c, options);
    const w = waitingListTexts(lang);
    const { offer } = await readWaitingEntry(ctx, token(c));
    const deadline = offer ? formatDateTime(new Date(offer.expiresAt), offer.timeZone, lang) : '';
    return MessagePage(
      c,
      options,
      { title: w.limitTitle, body: w.limitReached(deadline), link: { href: base(token(c)), label: w.toEntry } },
      409,
    );
  };
  // An unknown token gets a page that explains what went wrong with the link.
  app.use('/warteliste/*', async (c, next) => {
    await next();
    if (c.error instanceof DomainError && c.error.code === 'not_found') c.res = await notFound(c);
  });
  const isDecided = (error: unknown) => error instanceof DomainError && ['invalid_state', 'reservation_expired'].includes(error.code);

  const loadEntry = async (c: Context) => {
    const page = pageFor(c, options);
    const entry = await readWaitingEntry(ctx, token(c));
    const { services, offices } = await catalogue(ctx);
    const selection = describeSelection(services, entry.services, page.lang);
    return { page, w: waitingListTexts(page.lang), entry, selection, offices, token: token(c) };
  };

  app.get(ENTRY, async (c) => {
    const shown = await loadEntry(c);
    const flash = c.req.query('erfolg');
    return c.html(<EntryPage {...shown} flash={flash === 'eingetragen' || flash === 'verlassen' ? flash : undefined} />);
  });

  app.post(`${ENTRY}/annehmen`, async (c) => {
    try {
      const { manageToken } = await acceptWaitingOffer(ctx, token(c));
      // A second click: the entry page says it is booked; the manage link went out with the first.
      return c.redirect(manageToken ? `/termin/${manageToken}/gebucht` : base(token(c)), 303);
    } catch (error) {
      if (isDecided(error)) return notPossible(c);
      if (error instanceof DomainError && error.code === 'contact_limit_reached') return limitReached(c);
      throw error;
    }
  });

  app.get(`${ENTRY}/verlassen`, async (c) => {
    const shown = await loadEntry(c);
    if (shown.entry.state !== 'waiting' && shown.entry.state !== 'offered') return c.redirect(base(token(c)), 303);
    return c.html(<LeavePage {...shown} />);
  });

  app.post(`${ENTRY}/verlassen`, async (c) => {
    try {
      await leaveWaitingList(ctx, token(c));
      return c.redirect(`${base(token(c))}?erfolg=verlassen`, 303);
    } catch (error) {
      if (isDecided(error)) return notPossible(c);
      throw error;
    }
  });

  app.all('/warteliste/*', (c) => notFound(c));
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

function readValues(body: Record<string, unknown>): Values {
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
  const time = text('tageszeit');
  return {
    services: text('services'),
    offices: list(body.standort),
    from: text('von'),
    to: text('bis'),
    weekdays: list(body.tag)
      .map(Number)
      .filter((d) => Number.isInteger(d) && d >= 1 && d <= 7),
    time: time in TIMES ? (time as TimeChoice) : 'ganztags',
    name: text('name'),
    email: text('email'),
    phone: text('phone'),
    terms: text('terms') === 'ja',
  };
}

/** What the form itself can tell at once; the dates' rules come from the domain (one source). */
function validate(values: Values, page: Page, w: WaitingListTexts): FormError[] {
  const { t } = page;
  const errors: FormError[] = [];
  if (values.offices.length === 0) errors.push({ field: 'standort-0', message: w.officesRequired });
  if (!IsoDate.safeParse(values.from).success) errors.push({ field: 'von', message: w.dateInvalid });
  if (!IsoDate.safeParse(values.to).success) errors.push({ field: 'bis', message: w.dateInvalid });
  if (values.weekdays.length === 0) errors.push({ field: 'tag-1', message: w.weekdaysRequired });
  if (!values.name) errors.push({ field: 'name', message: t.details.nameRequired });
  else if (values.name.length > 200) errors.push({ field: 'name', message: t.details.nameTooLong });
  if (values.email && !Email.safeParse(values.email).success) errors.push({ field: 'email', message: t.details.emailInvalid });
  if (values.phone && !Phone.safeParse(values.phone).success) errors.push({ field: 'phone', message: t.details.phoneInvalid });
  if (!values.email && !values.phone) errors.push({ field: 'email', message: t.details.contactRequired });
  if (!values.terms) errors.push({ field: 'terms', message: t.details.termsRequired });
  return errors;
}

/** The app's refusals as form errors on the fields they concern; null for anything unexpected. */
function domainErrors(error: DomainError, w: WaitingListTexts): FormError[] | null {
  if (error.code === 'contact_required') return [{ field: 'email', message: w.contactUnreachable }];
  if (error.code === 'already_exists') return [{ field: 'absenden', message: w.alreadyWaiting }];
  if (error.code === 'unknown_office' || error.code === 'service_not_offered') return [{ field: 'standort-0', message: w.officesRequired }];
  if (error.code !== 'validation_failed') return null;
  const fields = (error.details as { fields?: { path: string; message: string }[] } | undefined)?.fields ?? [];
  const mapped = fields.map((p): FormError => {
    if (p.path === 'earliestDate') return { field: 'von', message: w.dateInvalid };
    if (p.path === 'weekdays') return { field: 'tag-1', message: w.weekdaysRequired };
    if (p.path === 'officeIds') return { field: 'standort-0', message: w.officesRequired };
    if (p.path === 'latestDate') {
      const message = p.message.includes('past')
        ? w.latestPast
        : p.message.includes('before')
          ? w.latestBeforeEarliest
          : p.message.includes('days')
            ? w.latestTooFar
            : w.dateInvalid;
      return { field: 'bis', message };
    }
    return { field: 'tageszeit-ganztags', message: w.dateInvalid };
  });
  return mapped.length > 0 ? mapped : null;
}

function hoursText(hours: number, lang: Page['lang']): string {
  if (hours < 1) return lang === 'de' ? `${Math.round(hours * 60)} Minuten` : `${Math.round(hours * 60)} minutes`;
  const n = Number.isInteger(hours) ? String(hours) : hours.toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 1 });
  return lang === 'de' ? `${n} ${hours === 1 ? 'Stunde' : 'Stunden'}` : `${n} ${hours === 1 ? 'hour' : 'hours'}`;
}

function JoinPage({
  page,
  w,
  view,
  values,
  errors,
  freeSlots,
  holdHours,
}: {
  page: Page;
  w: WaitingListTexts;
  view: FormView;
  values: Values;
  errors: FormError[];
  freeSlots: FreeSlot[];
  holdHours: number;
}) {
  const { t, lang } = page;
  const officeError = errorFor(errors, 'standort-0');
  const dayError = errorFor(errors, 'tag-1');
  const office = values.offices.length === 1 ? values.offices[0] : undefined;
  return (
    <Layout page={page} title={w.joinTitle} hasErrors={errors.length > 0} noindex scripts={altchaScripts(page.assets, lang)}>
      <BackLink href={href('/buchen/termin', { services: values.services, office })} label={w.back} />
      <h1 class="kern-heading-large">{w.joinTitle}</h1>
      <ErrorSummary title={t.errors.summaryTitle} errors={errors} />
      {freeSlots.length > 0 ? <FreeSlots page={page} w={w} offices={view.offices} services={values.services} slots={freeSlots} /> : null}
      <p class="kern-body">{w.joinIntro}</p>
      <p class="kern-body">{w.holdHint(hoursText(holdHours, lang))}</p>
      <Facts rows={[[w.services, view.selection.items.map((i) => `${i.name} (${t.units.persons(i.persons)})`).join(', ')]]} />
      <form method="post" action="/warteliste/eintragen" novalidate>
        <Hidden name="services" value={values.services} />
        <fieldset class={`kern-fieldset${officeError ? ' kern-fieldset--error' : ''}`}>
          <legend class="kern-label">{w.offices}</legend>
          <div class="kern-fieldset__body">
            {view.offices.map((o, i) => (
              <div class="kern-form-check">
                <input
                  class="kern-form-check__checkbox"
                  type="checkbox"
                  name="standort"
                  id={`standort-${i}`}
                  value={o.id}
                  checked={values.offices.includes(o.id)}
                  aria-describedby={officeError && i === 0 ? 'standort-0-fehler' : undefined}
                />
                <label class="kern-label" for={`standort-${i}`}>
                  {o.name}, {o.address}
                </label>
              </div>
            ))}
          </div>
          <FieldError id="standort-0-fehler" message={officeError} />
        </fieldset>
        <DateInput id="von" label={w.earliest} hint={w.dateHint} value={values.from} error={errorFor(errors, 'von')} />
        <DateInput id="bis" label={w.latest} hint={w.dateHint} value={values.to} error={errorFor(errors, 'bis')} />
        <fieldset class={`kern-fieldset${dayError ? ' kern-fieldset--error' : ''}`}>
          <legend class="kern-label">{w.weekdays}</legend>
          <div class="kern-fieldset__body">
            {t.pick.weekdays.slice(0, 6).map((name, i) => (
              <div class="kern-form-check">
                <input
                  class="kern-form-check__checkbox"
                  type="checkbox"
                  name="tag"
                  id={`tag-${i + 1}`}
                  value={String(i + 1)}
                  checked={values.weekdays.includes(i + 1)}
                  aria-describedby={dayError && i === 0 ? 'tag-1-fehler' : undefined}
                />
                <label class="kern-label" for={`tag-${i + 1}`}>
                  {name}
                </label>
              </div>
            ))}
          </div>
          <FieldError id="tag-1-fehler" message={dayError} />
        </fieldset>
        <fieldset class="kern-fieldset">
          <legend class="kern-label">{w.timeOfDay}</legend>
          <div class="kern-fieldset__body">
            {(['ganztags', 'vormittags', 'nachmittags'] as const).map((key) => (
              <div class="kern-form-check">
                <input
                  class="kern-form-check__radio"
                  type="radio"
                  name="tageszeit"
                  id={`tageszeit-${key}`}
                  value={key}
                  checked={values.time === key}
                />
                <label class="kern-label" for={`tageszeit-${key}`}>
                  {{ ganztags: w.anyTime, vormittags: w.morning, nachmittags: w.afternoon }[key]}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        <TextInput
          id="name"
          label={t.details.name}
          value={values.name}
          error={errorFor(errors, 'name')}
          autocomplete="name"
          required
          maxlength={200}
        />
        <fieldset
          class={`kern-fieldset${errors.some((e) => e.field === 'email') ? ' kern-fieldset--error' : ''}`}
          aria-describedby="kontakt-hinweis"
        >
          <legend class="kern-label">{t.details.contactLegend}</legend>
          <div class="kern-hint" id="kontakt-hinweis">
            {w.contactHint}
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
        <div class="stack">
          <div class={`kern-form-check${errorFor(errors, 'terms') ? ' kern-form-check--error' : ''}`}>
            <input
              class="kern-form-check__checkbox"
              type="checkbox"
              id="terms"
              name="terms"
              value="ja"
              checked={values.terms}
              required
              aria-describedby={errorFor(errors, 'terms') ? 'terms-fehler' : undefined}
              aria-invalid={errorFor(errors, 'terms') ? 'true' : undefined}
            />
            <label class="kern-label" for="terms">
              {t.details.terms}
            </label>
          </div>
          <FieldError id="terms-fehler" message={errorFor(errors, 'terms')} />
        </div>
        <altcha-widget
          challenge="/buchen/pruefung"
          auto="onsubmit"
          display="floating"
          name="altcha"
          language={lang}
          configuration='{"hideFooter":true,"hideLogo":true}'
        ></altcha-widget>
        <FieldError id="absenden-fehler" message={errorFor(errors, 'absenden')} />
        <div class="actions">
          <button class="kern-btn kern-btn--primary" type="submit" id="absenden">
            <span class="kern-label">{w.submit}</span>
          </button>
        </div>
      </form>
    </Layout>
  );
}

/** The free times that made joining pointless, each a link to the booking's details step. */
function FreeSlots({
  page,
  w,
  offices,
  services,
  slots,
}: {
  page: Page;
  w: WaitingListTexts;
  offices: Office[];
  services: string;
  slots: FreeSlot[];
}) {
  const chosen = parseServices(services);
  const param = chosen ? servicesParam(chosen) : services;
  return (
    <Alert variant="info" title={w.slotsFreeTitle} role="status" id="freie-termine" focus>
      <p class="kern-body">{w.slotsFree}</p>
      <ul class="kern-list">
        {slots.map((slot) => {
          const office = offices.find((o) => o.id === slot.officeId);
          const when = formatDateTime(new Date(slot.start), office?.time_zone ?? 'Europe/Berlin', page.lang);
          return (
            <li>
              <a class="kern-link" href={href('/buchen/angaben', { services: param, office: slot.officeId, start: slot.start })}>
                {office ? `${when}, ${office.name}` : when}
              </a>
            </li>
          );
        })}
      </ul>
    </Alert>
  );
}

function DateInput({
  id,
  label,
  hint,
  value,
  error,
}: {
  id: string;
  label: string;
  hint: string;
  value: string;
  error: string | undefined;
}) {
  const describedBy = [`${id}-hinweis`, error ? `${id}-fehler` : null].filter(Boolean).join(' ');
  return (
    <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={id}>
        {label}
      </label>
      <div class="kern-hint" id={`${id}-hinweis`}>
        {hint}
      </div>
      <input
        class={`kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`}
        type="date"
        id={id}
        name={id}
        value={value}
        required
        aria-describedby={describedBy}
        aria-invalid={error ? 'true' : undefined}
      />
      <FieldError id={`${id}-fehler`} message={error} />
    </div>
  );
}

type Shown = {
  page: Page;
  w: WaitingListTexts;
  entry: WaitingEntryView;
  selection: SelectionSummary | null;
  offices: Office[];
  token: string;
};

function serviceName(shown: Shown, serviceId: string): string {
  return shown.selection?.items.find((i) => i.id === serviceId)?.name ?? serviceId;
}

function WishFacts(shown: Shown) {
  const { page, w, entry, offices } = shown;
  const { t, lang } = page;
  const time =
    entry.fromTime === '00:00' && entry.toTime === '24:00'
      ? w.anyTime
      : entry.fromTime === '00:00' && entry.toTime === '12:00'
        ? w.morning
        : entry.fromTime === '12:00' && entry.toTime === '24:00'
          ? w.afternoon
          : `${entry.fromTime}–${entry.toTime}`;
  return (
    <Facts
      rows={[
        [w.services, (shown.selection?.items ?? []).map((i) => `${i.name} (${t.units.persons(i.persons)})`).join(', ')],
        [w.where, entry.officeIds.map((id) => offices.find((o) => o.id === id)?.name ?? id).join(', ')],
        [w.when, w.dateRange(formatLongDate(entry.earliestDate, lang), formatLongDate(entry.latestDate, lang))],
        [w.days, entry.weekdays.map((d) => t.pick.weekdays[d - 1]).join(', ')],
        [w.times, time],
      ]}
    />
  );
}

function OfferFacts(shown: Shown) {
  const { page, w, entry, offices } = shown;
  if (!entry.offer) return null;
  const o = entry.offer;
  const office = offices.find((x) => x.id === o.officeId);
  return (
    <Facts
      rows={[
        [w.reference, o.reference],
        [
          w.appointment,
          `${formatDateTime(new Date(o.start), o.timeZone, page.lang)} – ${formatTime(new Date(o.end), o.timeZone, page.lang)}`,
        ],
        [w.office, office ? `${office.name}, ${office.address}` : o.officeId],
      ]}
    />
  );
}

function EntryPage(props: Shown & { flash: 'eingetragen' | 'verlassen' | undefined }) {
  const { page, w, entry, token, flash } = props;
  const title = { waiting: w.entryTitle, offered: w.offerTitle, booked: w.bookedTitle, left: w.leftTitle, expired: w.expiredTitle }[
    entry.state
  ];
  return (
    <Layout page={page} title={title} noindex>
      <h1 class="kern-heading-large">{title}</h1>
      {flash === 'eingetragen' && entry.state === 'waiting' ? <Alert variant="success" title={w.joined} role="status" /> : null}
      {entry.state === 'waiting' ? (
        <>
          {(entry.positions ?? []).map((p) => (
            <p class="kern-body kern-body--large">
              <strong>{w.position(p.position, serviceName(props, p.serviceId))}</strong>
            </p>
          ))}
          <p class="kern-body">{w.positionHint}</p>
          <h2 class="kern-heading-medium">{w.yourWish}</h2>
          <WishFacts {...props} />
          <div class="actions">
            <LinkButton href={`${base(token)}/verlassen`} label={w.leave} variant="secondary" />
          </div>
        </>
      ) : null}
      {entry.state === 'offered' && entry.offer ? (
        <>
          <p class="kern-body">{w.offerIntro(formatDateTime(new Date(entry.offer.expiresAt), entry.offer.timeZone, page.lang))}</p>
          <OfferFacts {...props} />
          <AcceptOffer action={`${base(token)}/annehmen`} label={w.accept} />
          <div class="actions">
            <LinkButton href={`${base(token)}/verlassen`} label={w.decline} variant="tertiary" />
          </div>
        </>
      ) : null}
      {entry.state === 'booked' ? (
        <DecidedOffer text={w.booked}>
          <OfferFacts {...props} />
        </DecidedOffer>
      ) : null}
      {entry.state === 'left' || entry.state === 'expired' ? (
        <DecidedOffer text={entry.state === 'left' ? w.left : w.expired} bookNew={w.bookNew} />
      ) : null}
    </Layout>
  );
}

function LeavePage(props: Shown) {
  const { w, entry, token, page } = props;
  const offered = entry.state === 'offered';
  const title = offered ? w.declineTitle : w.leaveTitle;
  return (
    <Layout page={page} title={title} noindex>
      <BackLink href={base(token)} label={w.toEntry} />
      <h1 class="kern-heading-large">{title}</h1>
      {offered ? <OfferFacts {...props} /> : <WishFacts {...props} />}
      <p class="kern-body">{offered ? w.declineConsequence : w.leaveConsequence}</p>
      <form method="post" action={`${base(token)}/verlassen`}>
        <div class="actions">
          <SubmitButton label={offered ? w.declineSubmit : w.leaveSubmit} />
          <LinkButton href={base(token)} label={offered ? w.declineKeep : w.keep} variant="secondary" />
        </div>
      </form>
    </Layout>
  );
}
