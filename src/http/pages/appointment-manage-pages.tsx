import QRCode from 'qrcode';
import type { Context, Hono } from 'hono';
import { manageUrl } from '../../app/messaging/appointment-mail.ts';
import { cancelAppointment, confirmAppointment } from '../../app/appointments/manage-appointment.ts';
import { DomainError } from '../../domain/errors.ts';
import { AppointmentFacts, BringList, TOKEN_ROUTE, calendarFile, isOpen, loadShown, type Shown } from './appointment-view.tsx';
import { Alert, BackLink, ErrorSummary, LinkButton, SubmitButton, TextInput, errorFor, type FormError } from './components.tsx';
import { MessagePage } from './error-pages.tsx';
import { formatDateTime } from './format.ts';
import { Layout } from './layout.tsx';
import { pageFor, type CitizenPageOptions, type Page } from './page-context.ts';

// Everything reached through the secret link: view, confirm, cancel, calendar file. Only POSTs
// change anything, so mail scanners that open every link in a message never confirm or cancel.

type Flash = keyof Page['t']['manage']['flash'];
const FLASHES: readonly Flash[] = ['bestaetigt', 'verschoben', 'abgesagt'];

export function manageRoutes(app: Hono, options: CitizenPageOptions) {
  const { ctx } = options;
  const shownFor = (c: Context) => loadShown(ctx, c.req.param('token')!, pageFor(c, options).lang);

  app.get(`${TOKEN_ROUTE}/gebucht`, async (c) => {
    const shown = await shownFor(c);
    return c.html(<BookedPage page={pageFor(c, options)} shown={shown} manageLink={manageUrl(ctx.settings.publicUrl, shown.token)} />);
  });

  app.get(TOKEN_ROUTE, async (c) => {
    const shown = await shownFor(c);
    const flash = FLASHES.find((f) => f === c.req.query('erfolg'));
    return c.html(<ManagePage page={pageFor(c, options)} shown={shown} flash={flash} isOpen={isOpen(shown, ctx.now())} />);
  });

  app.get(`${TOKEN_ROUTE}/termin.ics`, async (c) => {
    const shown = await shownFor(c);
    const { t } = pageFor(c, options);
    const body = calendarFile(shown, t, manageUrl(ctx.settings.publicUrl, shown.token), ctx.now());
    c.header('Content-Type', 'text/calendar; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="termin-${shown.view.reference}.ics"`);
    return c.body(body);
  });

  const renderConfirm = async (c: Context, code: string, errors: FormError[], status: 200 | 409 | 422) => {
    const shown = await shownFor(c);
    const page = pageFor(c, options, code ? { code } : {});
    const { t } = page;
    const expired =
      shown.view.status === 'expired' ||
      (shown.view.status === 'reserved' && shown.reservedUntil !== null && shown.reservedUntil <= ctx.now());
    if (shown.view.status === 'confirmed')
      return MessagePage(
        c,
        options,
        { title: t.confirm.title, body: t.confirm.already, link: { href: `/termin/${shown.token}`, label: t.confirm.toAppointment } },
        200,
      );
    if (expired)
      return MessagePage(
        c,
        options,
        { title: t.confirm.title, body: t.confirm.expired, link: { href: '/', label: t.manage.bookNew } },
        status === 200 ? 200 : 409,
      );
    if (shown.view.status !== 'reserved')
      return MessagePage(
        c,
        options,
        { title: t.confirm.title, body: t.manage.closed, link: { href: `/termin/${shown.token}`, label: t.confirm.toAppointment } },
        status === 200 ? 200 : 409,
      );
    return c.html(<ConfirmPage page={page} shown={shown} code={code} errors={errors} />, status);
  };

  app.get(`${TOKEN_ROUTE}/bestaetigen`, (c) => renderConfirm(c, (c.req.query('code') ?? '').slice(0, 20), [], 200));

  app.post(`${TOKEN_ROUTE}/bestaetigen`, async (c) => {
    const body = await c.req.parseBody();
    const code = typeof body.code === 'string' ? body.code.trim().slice(0, 20) : '';
    const { t } = pageFor(c, options);
    if (!code) return renderConfirm(c, code, [{ field: 'code', message: t.confirm.codeRequired }], 422);
    try {
      await confirmAppointment(ctx, c.req.param('token')!, code);
      return c.redirect(`/termin/${c.req.param('token')}?erfolg=bestaetigt`, 303);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'invalid_code') {
        const left = (error.details as { attemptsLeft?: number } | undefined)?.attemptsLeft;
        return renderConfirm(
          c,
          code,
          [
            {
              field: 'code',
              message: left === undefined ? t.confirm.codeInvalid : `${t.confirm.codeInvalid} ${t.confirm.attemptsLeft(left)}`,
            },
          ],
          422,
        );
      }
      if (error instanceof DomainError && error.code === 'too_many_codes') {
        return MessagePage(
          c,
          options,
          { title: t.confirm.title, body: t.confirm.tooManyCodes, link: { href: '/', label: t.manage.bookNew } },
          409,
        );
      }
      if (error instanceof DomainError && (error.code === 'reservation_expired' || error.code === 'invalid_state'))
        return renderConfirm(c, code, [], 409);
      throw error;
    }
  });

  app.get(`${TOKEN_ROUTE}/absagen`, async (c) => {
    const shown = await shownFor(c);
    const page = pageFor(c, options);
    if (!isOpen(shown, ctx.now())) return closed(c, options, shown);
    return c.html(<CancelPage page={page} shown={shown} />);
  });

  app.post(`${TOKEN_ROUTE}/absagen`, async (c) => {
    try {
      await cancelAppointment(ctx, c.req.param('token')!);
      return c.redirect(`/termin/${c.req.param('token')}?erfolg=abgesagt`, 303);
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'too_late' || error.code === 'invalid_state'))
        return closed(c, options, await shownFor(c), 409);
      throw error;
    }
  });
}

/** A QR code as inline SVG, drawn from the module matrix (no image request, prints sharply). */
function qrSvg(text: string): string {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const size = modules.size + 2 * quiet;
  let path = '';
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; x++) if (modules.get(y, x)) path += `M${x + quiet} ${y + quiet}h1v1h-1z`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="160" height="160" aria-hidden="true" focusable="false"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
}

export function closed(c: Context, options: CitizenPageOptions, shown: Shown, status: 200 | 409 = 200) {
  const { t } = pageFor(c, options);
  return MessagePage(
    c,
    options,
    { title: t.manage.title, body: t.manage.closed, link: { href: `/termin/${shown.token}`, label: t.confirm.toAppointment } },
    status,
  );
}

function ManageLink({ page, url }: { page: Page; url: string }) {
  return (
    <section aria-labelledby="verwalten">
      <h2 class="kern-heading-medium" id="verwalten">
        {page.t.appointment.manageHeading}
      </h2>
      <p class="kern-body">{page.t.appointment.manageHint}</p>
      <p>
        <a class="kern-link manage-url" href={url}>
          {url}
        </a>
      </p>
    </section>
  );
}

/** The kiosk's scanner reads the reference from this code and types it like a keyboard. */
function CheckInCode({ page, reference }: { page: Page; reference: string }) {
  return (
    <section aria-labelledby="anmelden">
      <h2 class="kern-heading-medium" id="anmelden">
        {page.t.appointment.checkInHeading}
      </h2>
      <p class="kern-body">{page.t.appointment.checkInHint}</p>
      <div
        class="check-in-code"
        role="img"
        aria-label={page.t.appointment.checkInCodeLabel(reference)}
        dangerouslySetInnerHTML={{ __html: qrSvg(reference) }}
      />
    </section>
  );
}

function CalendarDownload({ page, shown }: { page: Page; shown: Shown }) {
  return (
    <section aria-labelledby="kalenderdatei">
      <h2 class="kern-heading-medium" id="kalenderdatei">
        {page.t.appointment.calendarHeading}
      </h2>
      <p>
        <a class="kern-link" href={`/termin/${shown.token}/termin.ics`} download={`termin-${shown.view.reference}.ics`}>
          <span class="kern-icon kern-icon--download" aria-hidden="true"></span>
          {page.t.appointment.calendarLink}
        </a>
      </p>
    </section>
  );
}

function BookedPage({ page, shown, manageLink }: { page: Page; shown: Shown; manageLink: string }) {
  const { t, lang } = page;
  const { view } = shown;
  const reserved = view.status === 'reserved';
  return (
    <Layout page={page} title={t.booked.title} noindex>
      <h1 class="kern-heading-large">{t.booked.title}</h1>
      {reserved ? (
        <Alert variant="warning" title={t.booked.reservedTitle} role="status">
          <p class="kern-body">
            {t.booked.reservedBody(
              view.citizen.email ?? '',
              shown.reservedUntil ? formatDateTime(new Date(shown.reservedUntil), shown.office.time_zone, lang) : '',
            )}
          </p>
        </Alert>
      ) : (
        <Alert variant="success" title={t.booked.confirmedTitle} role="status">
          <p class="kern-body">{view.citizen.email ? t.booked.confirmedBody : t.booked.phoneOnly}</p>
        </Alert>
      )}
      <AppointmentFacts page={page} shown={shown} />
      <BringList page={page} shown={shown} />
      <CheckInCode page={page} reference={view.reference} />
      <CalendarDownload page={page} shown={shown} />
      <ManageLink page={page} url={manageLink} />
    </Layout>
  );
}

function ManagePage({ page, shown, flash, isOpen }: { page: Page; shown: Shown; flash: Flash | undefined; isOpen: boolean }) {
  const { t, lang } = page;
  const { view, token } = shown;
  return (
    <Layout page={page} title={t.manage.title} noindex>
      <h1 class="kern-heading-large">{t.manage.title}</h1>
      {flash ? <Alert variant="success" title={t.manage.flash[flash]} role="status" /> : null}
      {isOpen && view.status === 'reserved' ? (
        <Alert variant="warning" title={t.manage.reservedTitle}>
          <p class="kern-body">
            {t.manage.reservedBody(shown.reservedUntil ? formatDateTime(new Date(shown.reservedUntil), shown.office.time_zone, lang) : '')}
          </p>
          <p>
            <a class="kern-link" href={`/termin/${token}/bestaetigen`}>
              {t.manage.confirmLink}
            </a>
          </p>
        </Alert>
      ) : null}
      <AppointmentFacts page={page} shown={shown} />
      {isOpen ? <CheckInCode page={page} reference={view.reference} /> : null}
      {isOpen ? (
        <div class="actions">
          <LinkButton href={`/termin/${token}/verschieben`} label={t.manage.move} variant="primary" />
          <LinkButton href={`/termin/${token}/absagen`} label={t.manage.cancel} variant="secondary" />
        </div>
      ) : view.status === 'cancelled' || view.status === 'expired' ? (
        <div class="actions">
          <LinkButton href="/" label={t.manage.bookNew} />
        </div>
      ) : null}
      {isOpen ? (
        <>
          <BringList page={page} shown={shown} />
          <CalendarDownload page={page} shown={shown} />
        </>
      ) : null}
    </Layout>
  );
}

function ConfirmPage({ page, shown, code, errors }: { page: Page; shown: Shown; code: string; errors: FormError[] }) {
  const { t } = page;
  return (
    <Layout page={page} title={t.confirm.title} hasErrors={errors.length > 0} noindex>
      <BackLink href={`/termin/${shown.token}`} label={t.confirm.toAppointment} />
      <h1 class="kern-heading-large">{t.confirm.title}</h1>
      <ErrorSummary title={t.errors.summaryTitle} errors={errors} />
      <AppointmentFacts page={page} shown={shown} />
      <p class="kern-body">{t.confirm.intro}</p>
      <form method="post" action={`/termin/${shown.token}/bestaetigen`} novalidate>
        <TextInput
          id="code"
          label={t.confirm.code}
          hint={t.confirm.codeHint}
          value={code}
          error={errorFor(errors, 'code')}
          autocomplete="one-time-code"
          inputmode="numeric"
          required
          maxlength={20}
        />
        <div class="actions">
          <SubmitButton label={t.confirm.submit} />
        </div>
      </form>
    </Layout>
  );
}

function CancelPage({ page, shown }: { page: Page; shown: Shown }) {
  const { t } = page;
  return (
    <Layout page={page} title={t.cancel.title} noindex>
      <h1 class="kern-heading-large">{t.cancel.title}</h1>
      <AppointmentFacts page={page} shown={shown} withStatus={false} />
      <h2 class="kern-heading-medium">{t.cancel.question}</h2>
      <p class="kern-body">{t.cancel.consequence}</p>
      <form method="post" action={`/termin/${shown.token}/absagen`}>
        <div class="actions">
          <SubmitButton label={t.cancel.submit} />
          <LinkButton href={`/termin/${shown.token}`} label={t.cancel.keep} variant="secondary" />
        </div>
      </form>
    </Layout>
  );
}
