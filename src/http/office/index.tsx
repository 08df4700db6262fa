import { Hono, type Context } from 'hono';
import { raw } from 'hono/html';
import type { AppContext } from '../../app/shared/context.ts';
import type { CounterCommand } from '../../app/counter/counter-command.ts';
import { executeCounterCommand } from '../../app/counter/execute-counter-command.ts';
import { formatTime } from '../../app/messaging/appointment-messages.ts';
import { officeDayAt } from '../../app/shared/office-time.ts';
import { listOfficeServices } from '../../app/shared/catalogue.ts';
import { createDisplayFeed } from '../../app/counter/display-feed.ts';
import { readDisplayBoard, readQueue, type DisplayBoard } from '../../app/counter/queue-board.ts';
import type { DisplayNotice } from '../../app/counter/display-notice.ts';
import type { OfficeNetwork } from '../../config.ts';
import { DomainError } from '../../domain/errors.ts';
import type { TicketView } from '../../app/counter/ticket-view.ts';
import { ERROR_MESSAGES } from '../api/error-messages.ts';
import { requestLanguage, type UiLanguage } from '../language.ts';
import { rateLimit } from '../rate-limit.ts';
import { Alert, TextInput } from '../pages/components.tsx';
import { OFFICE_ASSETS, officeAssetRoutes } from './assets.ts';
import { deviceAccess, type OfficeDeviceEnv } from './device-access.tsx';
import { displayEvents } from './display-stream.ts';
import { OfficeLayout } from './layout.tsx';
import { formatLongDate } from '../pages/format.ts';
import { officeMessages, type OfficeMessages } from './messages.ts';
import { newEntityId } from '../../app/shared/ids.ts';

export type OfficePageOptions = {
  /** How often an open display re-reads the board when no local change woke it (other processes). */
  displayPollMs?: number;
  /** Comment line sent to idle displays so proxies keep the connection and dead ones are noticed. */
  displayHeartbeatMs?: number;
  /** Kiosk submissions per minute and address (a kiosk serves one person every few seconds). */
  kioskPerMinute?: number | null;
  /** SCHALTER_OFFICE_NETWORKS: devices at these addresses need no pairing (default: none). */
  networks?: readonly OfficeNetwork[];
  /** SCHALTER_DISPLAY_CONNECTIONS: open display streams per office in this process (default 20). */
  displayConnectionsPerOffice?: number;
  log?: (message: string, error?: unknown) => void;
};

const field = (form: Record<string, unknown>, name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');

/**
 * Devices of the office and the public pickup status: the kiosk (/kiosk/{officeId}), the call display
 * (/display/{officeId}, live by Server-Sent Events) and /status. None shows personal data. Kiosk and
 * display serve enrolled devices and office networks only (device-access.tsx); /status is public.
 */
export function officePages(ctx: AppContext, options: OfficePageOptions = {}) {
  const pages = new Hono<OfficeDeviceEnv>();
  pages.route('/', officeAssetRoutes());
  const perMinute = options.kioskPerMinute === undefined ? 30 : options.kioskPerMinute;
  pages.use('/kiosk/:officeId/*', rateLimit({ perMinute, now: ctx.now }));
  pages.use('/display/:officeId/koppeln', rateLimit({ perMinute, now: ctx.now }));
  const access = deviceAccess(ctx, { networks: options.networks ?? [], secureCookies: ctx.settings.publicUrl.startsWith('https:') });
  pages.route('/', access.routes);
  for (const path of ['/kiosk/:officeId', '/kiosk/:officeId/anmelden', '/kiosk/:officeId/wartenummer'])
    pages.use(path, access.guard('kiosk', 'page'));
  pages.use('/display/:officeId', access.guard('display', 'page'));
  pages.use('/display/:officeId/events', access.guard('display', 'json'));
  const feed = createDisplayFeed({
    db: ctx.db,
    now: ctx.now,
    pollMs: options.displayPollMs ?? 5000,
    maxPerOffice: options.displayConnectionsPerOffice ?? 20,
    log: options.log,
  });

  const office = async (c: Context) => officeDayAt(ctx.db, c.req.param('officeId') ?? '', ctx.now());
  const services = async (officeId: string, lang: UiLanguage) =>
    (await listOfficeServices(ctx.db, officeId)).map((s) => ({
      id: s.id,
      name: lang === 'en' ? s.name_en : s.name_de,
    }));

  /** The kiosk's start page; after a refused check-in with the problem and what was typed, so nobody types it twice. */
  const kioskStart = async (
    c: Context,
    problem: string | null,
    status: 200 | 404 | 409 | 422 | 429 = 200,
    typed?: { reference: string },
  ) => {
    const lang = requestLanguage(c);
    const t = officeMessages(lang);
    const day = await office(c);
    const queue = await readQueue(ctx.db, day.officeId, ctx.now());
    const langQuery = c.req.query('lang') ? `?lang=${lang}` : '';
    return c.html(
      <OfficeLayout
        lang={lang}
        title={`${t.kiosk.title} – ${day.name}`}
        switchHref={`/kiosk/${day.officeId}?lang=${lang === 'de' ? 'en' : 'de'}`}
      >
        <h1 class="kern-heading-large">{t.kiosk.intro}</h1>
        {problem ? <Alert variant="danger" title={problem} role="alert" focus /> : null}
        <section aria-labelledby="mit-termin">
          <h2 class="kern-heading-medium" id="mit-termin">
            {t.kiosk.withAppointment}
          </h2>
          <form method="post" action={`/kiosk/${day.officeId}/anmelden${langQuery}`}>
            <TextInput id="reference" label={t.kiosk.reference} autocomplete="off" maxlength={20} required value={typed?.reference} />
            <button class="kern-btn kern-btn--primary" type="submit">
              <span class="kern-label">{t.kiosk.checkIn}</span>
            </button>
          </form>
        </section>
        <section aria-labelledby="ohne-termin">
          <h2 class="kern-heading-medium" id="ohne-termin">
            {t.kiosk.withoutAppointment}
          </h2>
          {queue.walkins.remaining > 0 ? (
            <form method="post" action={`/kiosk/${day.officeId}/wartenummer${langQuery}`}>
              <p class="kern-body">{t.kiosk.withoutIntro}</p>
              <ul class="kiosk-services">
                {(await services(day.officeId, lang)).map((s) => (
                  <li>
                    <button class="kern-btn kern-btn--secondary" type="submit" name="service" value={s.id}>
                      <span class="kern-label">{s.name}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </form>
          ) : (
            <p class="kern-body">{t.kiosk.closedForWalkins}</p>
          )}
        </section>
      </OfficeLayout>,
      status,
    );
  };

  const ticketPage = (c: Context, t: OfficeMessages, lang: UiLanguage, ticket: TicketView, text: string, officeId: string) =>
    c.html(
      <OfficeLayout lang={lang} title={`${t.kiosk.yourNumber} ${ticket.label}`} scripts={[OFFICE_ASSETS.kiosk]}>
        <h1 class="kern-heading-large">{t.kiosk.yourNumber}</h1>
        <p class="ticket-number" role="status">
          {ticket.label}
        </p>
        <p class="kern-body">{text}</p>
        <p class="kern-body">{t.kiosk.backHint}</p>
        <a class="kern-btn kern-btn--primary" href={`/kiosk/${officeId}`} data-return-after="60">
          <span class="kern-label">{t.kiosk.done}</span>
        </a>
      </OfficeLayout>,
      201,
    );

  const kioskCommand = (officeId: string, type: 'appointment.check_in' | 'walkin.issue', payload: Record<string, unknown>) =>
    ({
      type,
      officeId,
      payload: { ...payload, ticketId: newEntityId(ctx) },
      actor: `kiosk:${officeId}`,
      at: new Date(ctx.now()).toISOString(),
    }) as CounterCommand;

  pages.get('/kiosk/:officeId', (c) => kioskStart(c, null));

  pages.post('/kiosk/:officeId/anmelden', async (c) => {
    const lang = requestLanguage(c);
    const t = officeMessages(lang);
    const day = await office(c);
    const reference = field(await c.req.parseBody(), 'reference');
    try {
      const { ticket } = await executeCounterCommand(ctx, kioskCommand(day.officeId, 'appointment.check_in', { reference }));
      return ticketPage(c, t, lang, ticket!, t.kiosk.appointmentAt(formatTime(new Date(ticket!.dueAt!), day.timeZone, lang)), day.officeId);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const opensAt = (error.details as { opensAt?: string } | undefined)?.opensAt;
      const message =
        error.code === 'checkin_too_early' && opensAt
          ? t.kiosk.tooEarly(formatTime(new Date(opensAt), day.timeZone, lang))
          : error.code === 'not_found'
            ? t.kiosk.unknownReference
            : ERROR_MESSAGES[error.code][lang];
      return kioskStart(c, message, error.code === 'not_found' ? 404 : error.code === 'validation_failed' ? 422 : 409, { reference });
    }
  });

  pages.post('/kiosk/:officeId/wartenummer', async (c) => {
    const lang = requestLanguage(c);
    const t = officeMessages(lang);
    const day = await office(c);
    const serviceId = field(await c.req.parseBody(), 'service');
    try {
      const outcome = await executeCounterCommand(ctx, kioskCommand(day.officeId, 'walkin.issue', { serviceId }));
      return ticketPage(c, t, lang, outcome.ticket!, t.kiosk.waitAbout(outcome.waitMinutes ?? 0), day.officeId);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return kioskStart(c, ERROR_MESSAGES[error.code][lang], error.code === 'service_not_offered' ? 422 : 409);
    }
  });

  pages.get('/display/:officeId', async (c) => {
    const lang = requestLanguage(c);
    const board = await readDisplayBoard(ctx.db, (await office(c)).officeId, ctx.now());
    return c.html(<DisplayPage lang={lang} board={board} t={officeMessages(lang)} now={ctx.now()} />);
  });

  pages.get('/display/:officeId/events', displayEvents(feed, options.displayHeartbeatMs ?? 20_000));

  return pages;
}

/** The display's clock: office time, „14:05“. */
function formatClock(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('de-DE', { hour: '2-digit', minute: '2-digit', timeZone }).format(ms);
}

/** German first; the English line beside it where the team lead wrote one. */
function noticeText(notice: DisplayNotice | null, lang: UiLanguage): string {
  if (!notice) return '';
  if (lang === 'en' && notice.en) return notice.en;
  return notice.en ? `${notice.de} · ${notice.en}` : notice.de;
}

function DisplayPage({ lang, board, t, now }: { lang: UiLanguage; board: DisplayBoard; t: OfficeMessages; now: number }) {
  // Texts for the script with {placeholders}; the functions of the catalogue cannot travel as JSON.
  const texts = {
    call: t.display.call('{label}', '{counter}' as unknown as number),
    // One form per count, so the script too says „1 Person wartet“ and never „etwa 0 Minuten“.
    waiting: { zero: t.display.waiting(0), one: t.display.waiting(1), other: t.display.waiting(2).replace('2', '{n}') },
    walkinWait: { zero: t.display.walkinWait(0), one: t.display.walkinWait(1), other: t.display.walkinWait(2).replace('2', '{m}') },
    empty: t.display.empty,
    gongOn: t.display.gongOn,
    gongOff: t.display.gongOff,
    // Spoken in German whatever the display's language: the waiting room hears one announcement.
    speak: officeMessages('de').display.call('{label}', '{counter}' as unknown as number),
    lang,
  };
  const latest = board.calls[0];
  return (
    <OfficeLayout lang={lang} title={`${t.display.title} – ${board.officeName}`} scripts={[OFFICE_ASSETS.display]} bare>
      <main
        id="board"
        data-office={board.officeId}
        data-day={board.day}
        data-last-call={String(board.lastCallId)}
        data-time-zone={board.timeZone}
        data-server-now={String(now)}
      >
        <header class="display-head">
          <h1>{board.officeName}</h1>
          <span id="waiting">{`${t.display.waiting(board.waiting)} · ${t.display.walkinWait(board.walkinWaitMinutes)}`}</span>
          <time id="clock" class="display-clock" aria-label={t.display.clock}>
            {formatClock(now, board.timeZone)}
          </time>
        </header>
        <p id="notice" class="display-notice" hidden={board.notice === null}>
          {noticeText(board.notice, lang)}
        </p>
        <p id="connection" class="display-offline" role="status" hidden>
          {t.display.offline}
        </p>
        <table class="display-table">
          <thead>
            <tr>
              <th scope="col">{t.display.ticket}</th>
              <th scope="col">{t.display.counter}</th>
            </tr>
          </thead>
          <tbody id="calls">
            {board.calls.length === 0 ? (
              <tr>
                <td colspan={2}>{t.display.empty}</td>
              </tr>
            ) : (
              board.calls.map((call) => (
                <tr class={call.state === 'called' ? undefined : 'is-done'}>
                  <td>{call.label}</td>
                  <td>{call.counterNumber}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
        <p id="announce" class="visually-hidden" aria-live="assertive" aria-atomic="true">
          {latest ? t.display.call(latest.label, latest.counterNumber) : ''}
        </p>
        <footer class="display-foot">
          <span>{formatLongDate(board.day, lang)}</span>
          <button id="gong" type="button" aria-pressed="false" hidden>
            {t.display.gongOn}
          </button>
        </footer>
        <script type="application/json" id="display-texts">
          {raw(JSON.stringify(texts).replace(/</g, '\\u003c'))}
        </script>
      </main>
    </OfficeLayout>
  );
}

/**
 * A kiosk or call display pointed at an address that does not exist (an unknown office, a typo): a
 * page in the devices' own frame and the request's language (#22 item 4), which the person in front
 * of it can act on — and no link to the booking site, which would lead away from the device.
 */
export function unknownDevicePage(c: Context) {
  const lang = requestLanguage(c);
  const t = officeMessages(lang);
  return c.html(
    <OfficeLayout lang={lang} title={t.unknownOffice.title}>
      <h1 class="kern-heading-large">{t.unknownOffice.title}</h1>
      <p class="kern-body">{t.unknownOffice.body}</p>
      <p class="kern-body kern-body--small">{t.unknownOffice.staffHint}</p>
    </OfficeLayout>,
    404,
  );
}
