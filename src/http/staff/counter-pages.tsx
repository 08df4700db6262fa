import { Hono, type Context } from 'hono';
import type { AppContext } from '../../app/shared/context.ts';
import type { CounterCommand, CounterCommandType } from '../../app/counter/counter-command.ts';
import { executeCounterCommand, staffCommand } from '../../app/counter/execute-counter-command.ts';
import { formatTime } from '../../app/messaging/appointment-messages.ts';
import { officeDayAt } from '../../app/shared/office-time.ts';
import { readQueue, type QueueState } from '../../app/counter/queue-board.ts';
import { readCounterTicket, type CounterTicket } from '../../app/counter/read-counter-ticket.ts';
import { listOfficeServices, type OfficeService } from '../../app/shared/catalogue.ts';
import { DomainError } from '../../domain/errors.ts';
import { Alert } from '../pages/components.tsx';
import { OFFICE_ASSETS } from '../office/assets.ts';
import type { StaffEnv } from './auth.ts';
import { counterMessages, type CounterMessages } from './messages/counter.ts';
import { CsrfField, errorText, requireStage, StaffLayout, staffPageFor, type StaffPage } from './page.tsx';
import { newEntityId } from '../../app/shared/ids.ts';

const text = (form: Record<string, unknown>, name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');

/** One key per action; the same letters serve as accesskeys without JavaScript. */
export const COUNTER_KEYS = { next: 'n', again: 'w', served: 'f', noShow: 'x', refresh: 'r' } as const;

export function officeHead() {
  return (
    <>
      <link rel="stylesheet" href={OFFICE_ASSETS.css} />
      <script src={OFFICE_ASSETS.counterKeys} defer></script>
    </>
  );
}

/** The counter workplace: call, call again, served, no-show, forward; check-in and walk-in tickets. */
export function counterPages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  pages.use('/schalter', requireStage('active'));
  pages.use('/schalter/*', requireStage('active'));

  const officeOf = (c: Context<StaffEnv>) => c.get('session')?.officeId ?? null;

  pages.get('/schalter', async (c) => {
    const officeId = officeOf(c);
    if (!officeId) return c.redirect('/staff/standort', 303);
    const page = staffPageFor(c);
    const t = counterMessages(page.lang);
    const queue = await readQueue(ctx.db, officeId, ctx.now());
    return c.html(
      <StaffLayout page={page} title={t.counter.chooseTitle} head={officeHead()}>
        <h1 class="kern-heading-large">{t.counter.chooseTitle}</h1>
        <p class="kern-body">{t.counter.chooseIntro}</p>
        <ul class="kiosk-services">
          {queue.counters.map((counter) => {
            const taken = queue.stations.some((s) => s.counterNumber === counter.number);
            return (
              <li>
                <form method="post" action={`/staff/schalter/${counter.number}/oeffnen`}>
                  <CsrfField page={page} />
                  <button class="kern-btn kern-btn--secondary" type="submit">
                    <span class="kern-label">{`${counter.name}${taken ? ` (${t.counter.occupiedBy})` : ''}`}</span>
                  </button>
                </form>
              </li>
            );
          })}
        </ul>
        <p class="kern-body">
          <a class="kern-link" href={`/display/${officeId}`}>
            {t.counter.display}
          </a>{' '}
          ·{' '}
          <a class="kern-link" href={`/kiosk/${officeId}`}>
            {t.counter.kiosk}
          </a>
        </p>
      </StaffLayout>,
    );
  });

  const counterPage = async (c: Context<StaffEnv>, notice: string | null, error: string | null, status: 200 | 409 | 422 = 200) => {
    const officeId = officeOf(c);
    if (!officeId) return c.redirect('/staff/standort', 303);
    const counter = Number(c.req.param('n'));
    const queue = await readQueue(ctx.db, officeId, ctx.now());
    if (!queue.counters.some((x) => x.number === counter)) throw new DomainError('not_found', 'No such counter');
    const current = await readCounterTicket(ctx, c.get('principal'), queue, counter);
    const services = await listOfficeServices(ctx.db, officeId);
    const { timeZone } = await officeDayAt(ctx.db, officeId, ctx.now());
    return c.html(
      <CounterPage
        page={staffPageFor(c)}
        counter={counter}
        queue={queue}
        current={current}
        notice={notice}
        error={error}
        timeZone={timeZone}
        services={services}
      />,
      status,
    );
  };

  pages.get('/schalter/:n{[0-9]{1,3}}', (c) => {
    const ok = c.req.query('ok');
    const t = counterMessages(staffPageFor(c).lang);
    const label = c.req.query('nr') ?? '';
    const notice =
      ok === 'ausgegeben'
        ? t.counter.issued(label)
        : ok === 'angemeldet'
          ? t.counter.checkedIn(label)
          : ok === 'niemand'
            ? t.counter.nobody
            : null;
    return counterPage(c, notice, null);
  });

  // Every form posts here; each action is one counter command, then back to the page (303).
  const act =
    (
      build: (form: Record<string, unknown>, counter: number) => { type: CounterCommandType; payload: unknown },
      done?: (label: string | undefined) => string,
      target = (counter: number) => `/staff/schalter/${counter}`,
    ) =>
    async (c: Context<StaffEnv>) => {
      const officeId = officeOf(c);
      if (!officeId) return c.redirect('/staff/standort', 303);
      const counter = Number(c.req.param('n'));
      const form = await c.req.parseBody();
      try {
        const { type, payload } = build(form, counter);
        const command = staffCommand(c.get('principal'), { type, officeId, payload, at: ctx.now() } as never) as CounterCommand;
        const outcome = await executeCounterCommand(ctx, command);
        return c.redirect(`${target(counter)}${done ? done(outcome.ticket?.label) : ''}`, 303);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'not_found' && c.req.path.endsWith('/oeffnen')) throw error;
        return counterPage(
          c,
          null,
          errorText(error, staffPageFor(c).lang),
          error instanceof DomainError && error.code === 'validation_failed' ? 422 : 409,
        );
      }
    };

  pages.post(
    '/schalter/:n{[0-9]{1,3}}/oeffnen',
    act((_f, n) => ({ type: 'counter.open', payload: { counterNumber: n } })),
  );
  pages.post(
    '/schalter/:n{[0-9]{1,3}}/verlassen',
    act(
      (_f, n) => ({ type: 'counter.close', payload: { counterNumber: n } }),
      undefined,
      () => '/staff/schalter',
    ),
  );
  pages.post(
    '/schalter/:n{[0-9]{1,3}}/naechste',
    act(
      (_f, n) => ({ type: 'ticket.call_next', payload: { counterNumber: n } }),
      (label) => (label ? '' : '?ok=niemand'),
    ),
  );
  pages.post(
    '/schalter/:n{[0-9]{1,3}}/aufrufen',
    act((f, n) => ({ type: 'ticket.call', payload: { ticketId: text(f, 'ticket'), counterNumber: n } })),
  );
  pages.post(
    '/schalter/:n{[0-9]{1,3}}/erneut',
    act((f) => ({ type: 'ticket.call_again', payload: { ticketId: text(f, 'ticket') } })),
  );
  pages.post(
    '/schalter/:n{[0-9]{1,3}}/erledigt',
    act((f) => ({ type: 'ticket.served', payload: { ticketId: text(f, 'ticket') } })),
  );
  pages.post(
    '/schalter/:n{[0-9]{1,3}}/nicht-erschienen',
    act((f) => ({ type: 'ticket.no_show', payload: { ticketId: text(f, 'ticket') } })),
  );
  pages.post(
    '/schalter/:n{[0-9]{1,3}}/weiterleiten',
    act((f) => ({
      type: 'ticket.forward',
      payload: {
        ticketId: text(f, 'ticket'),
        toCounter: text(f, 'counter') ? Number(text(f, 'counter')) : null,
        toServiceId: text(f, 'service') || null,
      },
    })),
  );
  pages.post(
    '/schalter/:n{[0-9]{1,3}}/anmelden',
    act(
      (f) => ({
        type: 'appointment.check_in',
        payload: { reference: text(f, 'reference'), ticketId: newEntityId(ctx), priority: text(f, 'priority') === 'on' },
      }),
      (label) => `?ok=angemeldet&nr=${label}`,
    ),
  );
  pages.post(
    '/schalter/:n{[0-9]{1,3}}/wartenummer',
    act(
      (f) => ({
        type: 'walkin.issue',
        payload: { serviceId: text(f, 'service'), ticketId: newEntityId(ctx), priority: text(f, 'priority') === 'on' },
      }),
      (label) => `?ok=ausgegeben&nr=${label}`,
    ),
  );
  return pages;
}

type PageProps = {
  page: StaffPage;
  counter: number;
  queue: QueueState;
  current: CounterTicket | null;
  notice: string | null;
  error: string | null;
  timeZone: string;
  services: OfficeService[];
};

function CounterPage({ page, counter, queue, current, notice, error, timeZone, services }: PageProps) {
  const t: CounterMessages = counterMessages(page.lang);
  const base = `/staff/schalter/${counter}`;
  const serviceName = (id: string | null) => services.find((s) => s.id === id)?.[page.lang === 'en' ? 'name_en' : 'name_de'] ?? '';
  const button = (action: string, label: string, key: string, variant: 'primary' | 'secondary', ticket?: string) => (
    <form method="post" action={`${base}/${action}`}>
      <CsrfField page={page} />
      {ticket ? <input type="hidden" name="ticket" value={ticket} /> : null}
      <button class={`kern-btn kern-btn--${variant}`} type="submit" accesskey={key} data-key={key}>
        <span class="kern-label">
          {label} <kbd>{key.toUpperCase()}</kbd>
        </span>
      </button>
    </form>
  );
  return (
    <StaffLayout page={page} title={t.counter.title(counter)} head={officeHead()}>
      <h1 class="kern-heading-large">{t.counter.title(counter)}</h1>
      {notice ? <Alert variant="success" title={notice} role="status" /> : null}
      {error ? <Alert variant="danger" title={error} role="alert" focus /> : null}
      <div class="counter-grid">
        <div>
          <section class="counter-current" aria-labelledby="aufgerufen">
            <h2 class="kern-heading-medium" id="aufgerufen">
              {t.counter.current}
            </h2>
            {current ? (
              <>
                <p class="ticket-number">{current.label}</p>
                <dl class="counter-keys">
                  {current.reference ? (
                    <>
                      <dt>{t.counter.reference2}</dt>
                      <dd>{current.reference}</dd>
                      <dt>{t.counter.name}</dt>
                      <dd>{current.name ?? '–'}</dd>
                      <dt>{t.counter.due}</dt>
                      <dd>{current.dueAt ? formatTime(new Date(current.dueAt), timeZone, page.lang) : ''}</dd>
                    </>
                  ) : null}
                  <dt>{t.counter.service}</dt>
                  <dd>{current.services.map((s) => (page.lang === 'en' ? s.nameEn : s.nameDe)).join(', ')}</dd>
                </dl>
                <div class="counter-actions">
                  {button('erledigt', t.counter.served, COUNTER_KEYS.served, 'primary', current.id)}
                  {button('erneut', t.counter.again, COUNTER_KEYS.again, 'secondary', current.id)}
                  {button('nicht-erschienen', t.counter.noShow, COUNTER_KEYS.noShow, 'secondary', current.id)}
                </div>
                <form method="post" action={`${base}/weiterleiten`} class="counter-inline">
                  <CsrfField page={page} />
                  <input type="hidden" name="ticket" value={current.id} />
                  <div class="kern-form-input">
                    <label class="kern-label" for="fw-counter">
                      {t.counter.toCounter}
                    </label>
                    <div class="kern-form-input__select-wrapper">
                      <select class="kern-form-input__select" id="fw-counter" name="counter">
                        <option value="">{t.counter.unchanged}</option>
                        {queue.counters
                          .filter((x) => x.number !== counter)
                          .map((x) => (
                            <option value={String(x.number)}>{x.name}</option>
                          ))}
                      </select>
                    </div>
                  </div>
                  <div class="kern-form-input">
                    <label class="kern-label" for="fw-service">
                      {t.counter.toService}
                    </label>
                    <div class="kern-form-input__select-wrapper">
                      <select class="kern-form-input__select" id="fw-service" name="service">
                        <option value="">{t.counter.unchanged}</option>
                        {services.map((s) => (
                          <option value={s.id}>{page.lang === 'en' ? s.name_en : s.name_de}</option>
                        ))}
                      </select>
                    </div>
                  </div>
                  <button class="kern-btn kern-btn--tertiary" type="submit">
                    <span class="kern-label">{t.counter.forward}</span>
                  </button>
                </form>
              </>
            ) : (
              <>
                <p class="kern-body">{t.counter.none}</p>
                <div class="counter-actions">{button('naechste', t.counter.next, COUNTER_KEYS.next, 'primary')}</div>
              </>
            )}
          </section>
          <section aria-labelledby="schlange">
            <h2 class="kern-heading-medium" id="schlange">
              {t.counter.queueTitle}
            </h2>
            <p class="kern-body">
              {t.counter.waiting(queue.counts.waiting, queue.walkinWaitMinutes)} ·{' '}
              {t.counter.walkinsLeft(queue.walkins.remaining, queue.walkins.quota)} ·{' '}
              <a class="kern-link" href={base} accesskey={COUNTER_KEYS.refresh} data-key={COUNTER_KEYS.refresh}>
                {t.counter.refresh} <kbd>R</kbd>
              </a>
            </p>
            {queue.waiting.length === 0 ? (
              <p class="kern-body">{t.counter.queueEmpty}</p>
            ) : (
              <table class="staff-table">
                <thead>
                  <tr>
                    <th scope="col">{t.counter.ticket}</th>
                    <th scope="col">{t.counter.kind}</th>
                    <th scope="col">{t.counter.service}</th>
                    <th scope="col">
                      <span class="visually-hidden">{t.counter.call}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {queue.waiting.map((ticket) => (
                    <tr>
                      <td class="time">
                        {ticket.label} {ticket.priority ? <span class="badge-priority">{t.counter.priority}</span> : null}
                      </td>
                      <td>
                        {ticket.kind === 'appointment'
                          ? `${t.counter.appointment} ${ticket.reference ?? ''}, ${t.counter.due} ${formatTime(new Date(ticket.dueAt!), timeZone, page.lang)}`
                          : `${t.counter.walkin}, ${t.counter.arrived} ${formatTime(new Date(ticket.arrivedAt), timeZone, page.lang)}`}
                        {ticket.targetCounter ? ` → ${t.counter.title(ticket.targetCounter)}` : ''}
                      </td>
                      <td>{serviceName(ticket.serviceId)}</td>
                      <td>
                        {current ? null : (
                          <form method="post" action={`${base}/aufrufen`}>
                            <CsrfField page={page} />
                            <input type="hidden" name="ticket" value={ticket.id} />
                            <button class="kern-btn kern-btn--tertiary" type="submit" aria-label={`${ticket.label} ${t.counter.call}`}>
                              <span class="kern-label">{t.counter.call}</span>
                            </button>
                          </form>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </div>
        <div>
          <section aria-labelledby="anmelden">
            <h2 class="kern-heading-medium" id="anmelden">
              {t.counter.checkInTitle}
            </h2>
            <form method="post" action={`${base}/anmelden`}>
              <CsrfField page={page} />
              <div class="kern-form-input">
                <label class="kern-label" for="reference">
                  {t.counter.reference}
                </label>
                <input class="kern-form-input__input" id="reference" name="reference" autocomplete="off" maxlength={20} required />
              </div>
              <button class="kern-btn kern-btn--secondary" type="submit">
                <span class="kern-label">{t.counter.checkIn}</span>
              </button>
            </form>
          </section>
          <section aria-labelledby="spontan">
            <h2 class="kern-heading-medium" id="spontan">
              {t.counter.walkinTitle}
            </h2>
            <form method="post" action={`${base}/wartenummer`}>
              <CsrfField page={page} />
              <div class="kern-form-input">
                <label class="kern-label" for="walkin-service">
                  {t.counter.service}
                </label>
                <div class="kern-form-input__select-wrapper">
                  <select class="kern-form-input__select" id="walkin-service" name="service">
                    {services.map((s) => (
                      <option value={s.id}>{page.lang === 'en' ? s.name_en : s.name_de}</option>
                    ))}
                  </select>
                </div>
              </div>
              <div class="kern-form-check">
                <input class="kern-form-check__checkbox" type="checkbox" id="priority" name="priority" />
                <label class="kern-label" for="priority">
                  {t.counter.priorityLabel}
                </label>
              </div>
              <button class="kern-btn kern-btn--secondary" type="submit">
                <span class="kern-label">{t.counter.issue}</span>
              </button>
            </form>
          </section>
          <section aria-labelledby="tasten">
            <h2 class="kern-heading-medium" id="tasten">
              {t.counter.keysTitle}
            </h2>
            <p class="kern-body">{t.counter.keysIntro}</p>
            <dl class="counter-keys">
              {(
                [
                  [COUNTER_KEYS.next, t.counter.next],
                  [COUNTER_KEYS.again, t.counter.again],
                  [COUNTER_KEYS.served, t.counter.served],
                  [COUNTER_KEYS.noShow, t.counter.noShow],
                  [COUNTER_KEYS.refresh, t.counter.refresh],
                ] as const
              ).map(([key, label]) => (
                <>
                  <dt>
                    <kbd>{key.toUpperCase()}</kbd>
                  </dt>
                  <dd>{label}</dd>
                </>
              ))}
            </dl>
            <form method="post" action={`${base}/verlassen`}>
              <CsrfField page={page} />
              <button class="kern-btn kern-btn--tertiary" type="submit">
                <span class="kern-label">{t.counter.leave}</span>
              </button>
            </form>
          </section>
        </div>
      </div>
    </StaffLayout>
  );
}
