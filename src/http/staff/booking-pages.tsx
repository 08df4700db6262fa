import { spellOut } from '../../domain/spelling-alphabet.ts';
import { Hono, type Context } from 'hono';
import type { AppointmentView } from '../../app/appointments/appointment-record.ts';
import { findOffice, listServices } from '../../app/shared/catalogue.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { formatDateTime } from '../../app/messaging/appointment-messages.ts';
import {
  bookForCaller,
  readAppointmentForStaff,
  rescheduleByStaff,
  searchPhoneSlots,
  servicesOfOffice,
  nameHistoryActors,
  type NamedHistoryEntry,
} from '../../app/appointments/staff-appointments.ts';
import type { Slot } from '../../app/booking/search-availability.ts';
import { readInstant } from '../../domain/calendar-text.ts';
import { DomainError } from '../../domain/errors.ts';
import { revertNoShow } from '../../app/appointments/revert-no-show.ts';
import { Email, epochMs, Phone } from '../edge-fields.ts';
import { Alert, ErrorSummary, Facts, TextInput, type FormError } from '../pages/components.tsx';
import { acceptReplacementForCaller, callerOfEntry, heldReplacementOf } from '../../app/messaging/call-list.ts';
import type { StaffEnv } from './auth.ts';
import { SOURCE_LABELS, STATUS_LABELS } from './appointment-day-plan-csv.ts';
import { historyLine } from './messages/appointment-history.ts';
import { appointmentHandlingMessages } from './messages/appointment-handling.ts';
import { CancelReasonFields } from './appointment-cancel-pages.tsx';
import { resendConfirmationByStaff } from '../../app/appointments/resend-confirmation.ts';
import { CsrfField, errorText, requireStage, StaffLayout, staffPageFor, type StaffPage } from './page.tsx';

type ServiceOption = { id: string; name: string; maxPersons: number };
type PhoneForm = { service: string; persons: number; name: string; phone: string; email: string; language: 'de' | 'en'; start: string };

const text = (form: Record<string, unknown>, name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
const SLOT_COUNT = 12;

/** Phone booking and the appointment detail page (cancel, move). */
export function bookingPages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  pages.use('/telefon', requireStage('active'));
  pages.use('/termine/*', requireStage('active'));

  const officeOf = async (c: Context<StaffEnv>) => {
    const officeId = c.get('session')?.officeId;
    return officeId ? ((await findOffice(ctx.db, officeId)) ?? null) : null;
  };
  const options = async (c: Context<StaffEnv>, officeId: string, lang: 'de' | 'en'): Promise<ServiceOption[]> =>
    (await servicesOfOffice(ctx, c.get('principal'), officeId)).map((s) => ({
      id: s.id,
      name: lang === 'de' ? s.name_de : s.name_en,
      maxPersons: s.max_persons,
    }));
  const slotsFor = async (c: Context<StaffEnv>, officeId: string, form: PhoneForm) =>
    form.service
      ? searchPhoneSlots(ctx, c.get('principal'), {
          officeId,
          services: [{ serviceId: form.service, persons: form.persons }],
          limit: SLOT_COUNT,
        })
      : [];

  pages.get('/telefon', async (c) => {
    const page = staffPageFor(c);
    const office = await officeOf(c);
    if (!office) return c.redirect('/staff/standort', 303);
    // From the call list (other_time): the person and what they came for, filled in.
    const caller = c.req.query('anruf') ? await callerOfEntry(ctx, c.get('principal'), c.req.query('anruf')!) : null;
    const form: PhoneForm = {
      service: c.req.query('service') ?? caller?.services[0]?.serviceId ?? '',
      persons: Math.max(1, Number(c.req.query('persons')) || caller?.services[0]?.persons || 1),
      name: caller?.name ?? '',
      phone: caller?.phone ?? '',
      email: caller?.email ?? '',
      language: caller?.language ?? 'de',
      start: '',
    };
    const services = await options(c, office.id, page.lang);
    try {
      const slots = await slotsFor(c, office.id, form);
      return c.html(
        <PhonePage
          page={page}
          services={services}
          form={form}
          slots={slots}
          timeZone={office.time_zone}
          errors={[]}
          searched={form.service !== ''}
        />,
      );
    } catch (error) {
      return c.html(
        <PhonePage
          page={page}
          services={services}
          form={form}
          slots={[]}
          timeZone={office.time_zone}
          errors={[{ field: 'service', message: errorText(error, page.lang) }]}
          searched={false}
        />,
        422,
      );
    }
  });

  pages.post('/telefon', async (c) => {
    const page = staffPageFor(c);
    const office = await officeOf(c);
    if (!office) return c.redirect('/staff/standort', 303);
    const body = await c.req.parseBody();
    const form: PhoneForm = {
      service: text(body, 'service'),
      persons: Math.max(1, Number(text(body, 'persons')) || 1),
      name: text(body, 'name'),
      phone: text(body, 'phone'),
      email: text(body, 'email'),
      language: text(body, 'language') === 'en' ? 'en' : 'de',
      start: text(body, 'start'),
    };
    const errors = phoneFormErrors(form, page);
    if (errors.length === 0) {
      try {
        const { appointment } = await bookForCaller(ctx, c.get('principal'), {
          officeId: office.id,
          start: epochMs(form.start),
          services: [{ serviceId: form.service, persons: form.persons }],
          citizen: { name: form.name, phone: form.phone || null, email: form.email || null },
          language: form.language,
        });
        return c.html(<BookedPage page={page} appointment={appointment} timeZone={office.time_zone} />, 201);
      } catch (error) {
        const isSlotError = error instanceof DomainError && ['slot_unavailable', 'start_in_past'].includes(error.code);
        errors.push({ field: isSlotError ? 'slots' : 'name', message: errorText(error, page.lang) });
      }
    }
    const slots = await slotsFor(c, office.id, form).catch(() => []);
    return c.html(
      <PhonePage
        page={page}
        services={await options(c, office.id, page.lang)}
        form={form}
        slots={slots}
        timeZone={office.time_zone}
        errors={errors}
        searched
      />,
      422,
    );
  });

  pages.get('/termine/:id', async (c) => {
    const page = staffPageFor(c);
    const { appointment, history, staffNote } = await readAppointmentForStaff(ctx, c.get('principal'), c.req.param('id'));
    const office = await findOffice(ctx.db, appointment.officeId);
    const isOpen = appointment.status === 'confirmed' || appointment.status === 'reserved';
    const slots = isOpen
      ? await searchPhoneSlots(ctx, c.get('principal'), {
          officeId: appointment.officeId,
          services: appointment.services,
          limit: SLOT_COUNT,
        }).catch(() => [])
      : [];
    const notice = c.req.query('ok');
    return c.html(
      <DetailPage
        page={page}
        appointment={appointment}
        history={await nameHistoryActors(ctx, history)}
        officeName={office?.name ?? appointment.officeId}
        timeZone={office?.time_zone ?? 'Europe/Berlin'}
        slots={slots}
        notice={notice}
        error={null}
        held={await heldReplacementOf(ctx, appointment.id)}
        staffNote={staffNote}
        serviceNames={await serviceNames(ctx)}
      />,
    );
  });

  const change =
    (work: (c: Context<StaffEnv>, id: string, form: Record<string, unknown>) => Promise<unknown>, ok: string) =>
    async (c: Context<StaffEnv>) => {
      const id = c.req.param('id')!;
      try {
        await work(c, id, await c.req.parseBody());
        return c.redirect(`/staff/termine/${id}?ok=${ok}`, 303);
      } catch (error) {
        if (error instanceof AlreadySent) return c.redirect(`/staff/termine/${id}?ok=schon-gesendet`, 303);
        const page = staffPageFor(c);
        if (error instanceof DomainError && error.code === 'not_found') throw error;
        const message = errorText(error, page.lang);
        const { appointment, history, staffNote } = await readAppointmentForStaff(ctx, c.get('principal'), id);
        const office = await findOffice(ctx.db, appointment.officeId);
        return c.html(
          <DetailPage
            page={page}
            appointment={appointment}
            history={await nameHistoryActors(ctx, history)}
            officeName={office?.name ?? ''}
            timeZone={office?.time_zone ?? 'Europe/Berlin'}
            slots={[]}
            notice={undefined}
            error={message}
            staffNote={staffNote}
            serviceNames={await serviceNames(ctx)}
          />,
          409,
        );
      }
    };
  // Cancelling, with its reason and confirmation step, is appointment-cancel-pages.tsx.
  pages.post(
    '/termine/:id/bestaetigung-senden',
    change(async (c, id) => {
      const { queued } = await resendConfirmationByStaff(ctx, c.get('principal'), { appointmentId: id });
      // The redirect names what happened: the mail queued now, or the one of a moment ago.
      if (!queued) throw new AlreadySent();
    }, 'gesendet'),
  );
  pages.post(
    '/termine/:id/doch-erschienen',
    change((c, id) => revertNoShow(ctx, c.get('principal'), { appointmentId: id }), 'erschienen'),
  );
  pages.post(
    '/termine/:id/ersatz-annehmen',
    change((c, id) => acceptReplacementForCaller(ctx, c.get('principal'), id), 'angenommen'),
  );
  pages.post(
    '/termine/:id/verschieben',
    change((c, id, form) => {
      const start = readInstant(text(form, 'start'));
      if (start === null)
        throw new DomainError('validation_failed', 'Choose a time', { fields: [{ path: 'start', message: 'choose a time' }] });
      return rescheduleByStaff(ctx, c.get('principal'), { appointmentId: id, start });
    }, 'verschoben'),
  );

  return pages;
}

/** Names of every service by id, for the appointment page (ids are never shown). */
async function serviceNames(ctx: AppContext): Promise<Map<string, { de: string; en: string }>> {
  return new Map((await listServices(ctx.db)).map((s) => [s.id, { de: s.name_de, en: s.name_en }]));
}

/** A resend within the minute: not an error, the page says the mail went a moment ago. */
class AlreadySent extends Error {}

function phoneFormErrors(form: PhoneForm, page: StaffPage): FormError[] {
  const errors: FormError[] = [];
  const required = page.lang === 'de' ? 'Bitte ausfüllen.' : 'Please fill in.';
  if (!form.service) errors.push({ field: 'service', message: required });
  if (readInstant(form.start) === null)
    errors.push({ field: 'slots', message: page.lang === 'de' ? 'Bitte wählen Sie eine Zeit.' : 'Please choose a time.' });
  if (!form.name) errors.push({ field: 'name', message: required });
  if (!form.phone && !form.email) errors.push({ field: 'phone', message: page.t.phone.contactHint });
  if (form.phone && !Phone.safeParse(form.phone).success) errors.push({ field: 'phone', message: page.t.phone.phoneInvalid });
  if (form.email && !Email.safeParse(form.email).success) errors.push({ field: 'email', message: page.t.phone.emailInvalid });
  return errors;
}

function SlotChoice({
  slots,
  timeZone,
  lang,
  selected,
  legend,
}: {
  slots: Slot[];
  timeZone: string;
  lang: 'de' | 'en';
  selected: string;
  legend: string;
}) {
  return (
    <fieldset class="kern-fieldset" id="slots">
      <legend class="kern-label">{legend}</legend>
      <div class="kern-fieldset__body staff-slots">
        {slots.map((s, i) => {
          const iso = new Date(s.start).toISOString();
          return (
            <div class="kern-form-check">
              <input
                class="kern-form-check__radio"
                type="radio"
                id={`slot-${i}`}
                name="start"
                value={iso}
                checked={selected === iso || (selected === '' && i === 0)}
              />
              <label class="kern-label" for={`slot-${i}`}>
                {formatDateTime(new Date(s.start), timeZone, lang)}
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

type PhonePageProps = {
  page: StaffPage;
  services: ServiceOption[];
  form: PhoneForm;
  slots: Slot[];
  timeZone: string;
  errors: FormError[];
  searched: boolean;
};

function PhonePage({ page, services, form, slots, timeZone, errors, searched }: PhonePageProps) {
  const { t, lang } = page;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  return (
    <StaffLayout page={page} title={t.phone.title} hasErrors={errors.length > 0}>
      <h1 class="kern-heading-large">{t.phone.title}</h1>
      <ErrorSummary title={t.site.errorTitle} errors={errors} />
      <form method="get" action="/staff/telefon" class="staff-toolbar">
        <div class="kern-form-input">
          <label class="kern-label" for="service">
            {t.phone.service}
          </label>
          <div class="kern-form-input__select-wrapper">
            <select class="kern-form-input__select" id="service" name="service" autofocus={!searched}>
              {services.map((s) => (
                <option value={s.id} selected={s.id === form.service}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div class="kern-form-input">
          <label class="kern-label" for="persons">
            {t.phone.persons}
          </label>
          <input class="kern-form-input__input" type="number" id="persons" name="persons" min={1} max={20} value={String(form.persons)} />
        </div>
        <button class="kern-btn kern-btn--secondary" type="submit">
          <span class="kern-label">{t.phone.findSlots}</span>
        </button>
      </form>
      {searched && slots.length === 0 ? <Alert variant="warning" title={t.phone.noSlots} /> : null}
      {searched && slots.length > 0 ? (
        <form method="post" action="/staff/telefon" novalidate>
          <CsrfField page={page} />
          <input type="hidden" name="service" value={form.service} />
          <input type="hidden" name="persons" value={String(form.persons)} />
          <SlotChoice slots={slots} timeZone={timeZone} lang={lang} selected={form.start} legend={t.phone.slots} />
          <TextInput id="name" label={t.phone.name} value={form.name} required error={err('name')} maxlength={200} />
          <TextInput
            id="phone"
            label={t.phone.phone}
            type="tel"
            value={form.phone}
            hint={t.phone.contactHint}
            error={err('phone')}
            inputmode="tel"
          />
          <TextInput
            id="email"
            label={t.phone.email}
            type="email"
            value={form.email}
            optionalLabel={t.phone.optional}
            error={err('email')}
          />
          <div class="kern-form-input">
            <label class="kern-label" for="language">
              {t.phone.language}
            </label>
            <div class="kern-form-input__select-wrapper">
              <select class="kern-form-input__select" id="language" name="language">
                <option value="de" selected={form.language === 'de'}>
                  Deutsch
                </option>
                <option value="en" selected={form.language === 'en'}>
                  English
                </option>
              </select>
            </div>
          </div>
          <button class="kern-btn kern-btn--primary" type="submit">
            <span class="kern-label">{t.phone.book}</span>
          </button>
        </form>
      ) : null}
    </StaffLayout>
  );
}

function BookedPage({ page, appointment, timeZone }: { page: StaffPage; appointment: AppointmentView; timeZone: string }) {
  const { t, lang } = page;
  return (
    <StaffLayout page={page} title={t.phone.bookedTitle}>
      <h1 class="kern-heading-large">{t.phone.bookedTitle}</h1>
      <p class="kern-body">{t.phone.readOut}</p>
      <p class="staff-reference" id="vorgangsnummer" tabindex={-1} autofocus>
        {appointment.reference}
      </p>
      <SpeltOut page={page} reference={appointment.reference} />
      <Facts
        rows={[
          [t.appointment.when, formatDateTime(new Date(appointment.start), timeZone, lang)],
          [t.dayPlan.name, appointment.citizen.name ?? ''],
        ]}
      />
      <p class="kern-body">{appointment.citizen.email ? t.phone.mailed : t.phone.notMailed}</p>
      <p>
        <a class="kern-btn kern-btn--secondary" href="/staff/telefon">
          <span class="kern-label">{t.phone.another}</span>
        </a>
      </p>
    </StaffLayout>
  );
}

/** The booking number as it is read out („K wie Köln, 7, …“), for the clerk on the phone. */
function SpeltOut({ page, reference }: { page: StaffPage; reference: string }) {
  return (
    <p class="kern-body kern-body--small staff-spelling">
      {page.t.phone.spelling}: {spellOut(reference, page.lang).join(' · ')}
    </p>
  );
}

type DetailProps = {
  page: StaffPage;
  appointment: AppointmentView;
  history: NamedHistoryEntry[];
  officeName: string;
  timeZone: string;
  slots: Slot[];
  notice: string | undefined;
  error: string | null;
  /** A replacement held after a closure that still waits for the person's answer. */
  held?: { expiresAt: number } | null;
  /** The office's note (#22), for staff only. */
  staffNote: string | null;
  serviceNames: Map<string, { de: string; en: string }>;
};

function DetailPage({
  page,
  appointment: a,
  history,
  officeName,
  timeZone,
  slots,
  notice,
  error,
  held,
  staffNote,
  serviceNames,
}: DetailProps) {
  const { t, lang } = page;
  const m = appointmentHandlingMessages[lang];
  const isOpen = a.status === 'confirmed' || a.status === 'reserved';
  // Set by the sweep (actor system), not at the counter: a clerk may take it back for a late arrival (#17).
  const sweptNoShow = a.status === 'no_show' && history.at(-1)?.action === 'no_show' && history.at(-1)?.actor === 'system';
  const title = `${t.appointment.title} ${a.reference}`;
  return (
    <StaffLayout page={page} title={title} hasErrors={error !== null}>
      <h1 class="kern-heading-large">{title}</h1>
      <SpeltOut page={page} reference={a.reference} />
      {notice === 'storniert' ? <Alert variant="success" title={t.appointment.cancelled} role="status" /> : null}
      {notice === 'verschoben' ? <Alert variant="success" title={t.appointment.moved} role="status" /> : null}
      {notice === 'angenommen' ? <Alert variant="success" title={t.appointment.heldAccepted} role="status" /> : null}
      {notice === 'erschienen' ? <Alert variant="success" title={t.appointment.noShowReverted} role="status" /> : null}
      {notice === 'geaendert' ? <Alert variant="success" title={m.saved} role="status" /> : null}
      {notice === 'unveraendert' ? <Alert variant="info" title={m.unchanged} role="status" /> : null}
      {notice === 'gesendet' ? <Alert variant="success" title={m.resent} role="status" /> : null}
      {notice === 'schon-gesendet' ? <Alert variant="info" title={m.resentAlready} role="status" /> : null}
      {error ? <Alert variant="danger" title={error} role="alert" focus /> : null}
      {held ? (
        <Alert variant="info" title={t.appointment.heldTitle}>
          <p class="kern-body">{t.appointment.heldBody(formatDateTime(new Date(held.expiresAt), timeZone, lang))}</p>
          <form method="post" action={`/staff/termine/${a.id}/ersatz-annehmen`}>
            <CsrfField page={page} />
            <button class="kern-btn kern-btn--primary" type="submit">
              <span class="kern-label">{t.appointment.acceptHeld}</span>
            </button>
          </form>
        </Alert>
      ) : null}
      {sweptNoShow ? (
        <Alert variant="info" title={t.appointment.noShowTitle}>
          <p class="kern-body">{t.appointment.noShowBody}</p>
          <form method="post" action={`/staff/termine/${a.id}/doch-erschienen`}>
            <CsrfField page={page} />
            <button class="kern-btn kern-btn--primary" type="submit">
              <span class="kern-label">{t.appointment.revertNoShow}</span>
            </button>
          </form>
        </Alert>
      ) : null}
      <Facts
        rows={[
          [t.appointment.when, formatDateTime(new Date(a.start), timeZone, lang)],
          [t.appointment.office, officeName],
          [t.dayPlan.status, STATUS_LABELS[lang][a.status] ?? a.status],
          [t.dayPlan.name, a.citizen.name ?? ''],
          [t.dayPlan.contact, [a.citizen.phone, a.citizen.email].filter(Boolean).join(', ')],
          [m.services, a.services.map((x) => `${serviceNames.get(x.serviceId)?.[lang] ?? ''} (${m.persons(x.persons)})`).join(', ')],
          [t.appointment.source, SOURCE_LABELS[lang][a.source] ?? a.source],
          ...(staffNote ? [[m.noteFact, staffNote] as [string, string]] : []),
        ]}
      />
      {a.status !== 'expired' ? (
        <p>
          <a class="kern-btn kern-btn--secondary" href={`/staff/termine/${a.id}/bearbeiten`}>
            <span class="kern-label">{m.edit}</span>
          </a>
        </p>
      ) : null}
      {isOpen ? (
        <>
          <h2 class="kern-heading-medium">{t.appointment.move}</h2>
          <form method="post" action={`/staff/termine/${a.id}/verschieben`}>
            <CsrfField page={page} />
            <SlotChoice slots={slots} timeZone={timeZone} lang={lang} selected="" legend={t.appointment.moveTo} />
            <button class="kern-btn kern-btn--secondary" type="submit">
              <span class="kern-label">{t.appointment.move}</span>
            </button>
          </form>
          <h2 class="kern-heading-medium">{m.resend}</h2>
          {a.citizen.email ? (
            <form method="post" action={`/staff/termine/${a.id}/bestaetigung-senden`}>
              <CsrfField page={page} />
              <button class="kern-btn kern-btn--secondary" type="submit">
                <span class="kern-label">{m.resend}</span>
              </button>
            </form>
          ) : (
            <p class="kern-body">{m.noEmailHint}</p>
          )}
          <h2 class="kern-heading-medium">{m.cancel}</h2>
          <form method="post" action={`/staff/termine/${a.id}/absagen`} novalidate>
            <CsrfField page={page} />
            <CancelReasonFields page={page} form={{ reason: '', explanation: '' }} errors={[]} />
            <button class="kern-btn kern-btn--primary" type="submit">
              <span class="kern-label">{m.next}</span>
            </button>
          </form>
        </>
      ) : null}
      <h2 class="kern-heading-medium">{t.appointment.history}</h2>
      <ul>
        {history.map((h) => (
          <li>
            {formatDateTime(new Date(h.at), timeZone, lang)}: {historyLine(h, lang)}
          </li>
        ))}
      </ul>
    </StaffLayout>
  );
}
