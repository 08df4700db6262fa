import { Hono, type Context } from 'hono';
import { findOffice } from '../../app/shared/catalogue.ts';
import { isIsoDate } from '../../domain/calendar-text.ts';
import type { AppContext } from '../../app/shared/context.ts';
import {
  listOutboxMessages,
  OUTBOX_STATES,
  retryOutboxMessage,
  type OutboxMessageView,
  type OutboxState,
} from '../../app/messaging/outbox-messages.ts';
import { Alert } from '../pages/components.tsx';
import type { StaffEnv } from './auth.ts';
import { formatWhen } from './dates.ts';
import { outboxMessages } from './messages/messaging-outbox.ts';
import { errorText, requireStage, StaffLayout, staffPageFor, type StaffPage } from './page.tsx';
import { RowAction, StaffTable } from './staff-table.tsx';

// /staff/nachrichten: what happened to the messages of the chosen office — queued, sent, failed or
// bounced, with the error — and "Erneut senden" for failed ones. Every clerk may look: a citizen
// at the counter asking "I never got a mail" is answered here.

const isDate = (v: string | undefined): v is string => v !== undefined && isIsoDate(v);

export function outboxPages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  pages.use('/nachrichten', requireStage('active'));
  pages.use('/nachrichten/*', requireStage('active'));

  const show = async (c: Context<StaffEnv>, notice: string | null, error: string | null, status: 200 | 404 | 409 | 422 = 200) => {
    const officeId = c.get('session')?.officeId;
    if (!officeId) return c.redirect('/staff/standort', 303);
    const office = await findOffice(ctx.db, officeId);
    const q = c.req.query();
    const state = OUTBOX_STATES.find((s) => s === q.status);
    const dateGiven = q.datum !== undefined && q.datum !== '';
    const date = isDate(q.datum) ? q.datum : undefined;
    const m = outboxMessages[staffPageFor(c).lang];
    const messages = await listOutboxMessages(ctx, c.get('principal'), { officeId, state, date, timeZone: office?.time_zone });
    const invalid = dateGiven && !date;
    return c.html(
      <OutboxPage
        page={staffPageFor(c)}
        officeName={office?.name ?? officeId}
        messages={messages}
        state={state}
        date={date ?? (invalid ? q.datum! : '')}
        notice={notice}
        error={error ?? (invalid ? m.invalidDate : null)}
      />,
      invalid ? 422 : status,
    );
  };

  pages.get('/nachrichten', (c) => show(c, c.req.query('ok') ? outboxMessages[staffPageFor(c).lang].retried : null, null));

  pages.post('/nachrichten/:id{\\d{1,18}}/erneut', async (c) => {
    try {
      await retryOutboxMessage(ctx, c.get('principal'), c.req.param('id'));
    } catch (error) {
      const text = errorText(error, staffPageFor(c).lang);
      return show(c, null, text, (error as { code?: string }).code === 'not_found' ? 404 : 409);
    }
    return c.redirect('/staff/nachrichten?status=failed&ok=1', 303);
  });
  return pages;
}

type Props = {
  page: StaffPage;
  officeName: string;
  messages: OutboxMessageView[];
  state: OutboxState | undefined;
  date: string;
  notice: string | null;
  error: string | null;
};

function OutboxPage({ page, officeName, messages, state, date, notice, error }: Props) {
  const m = outboxMessages[page.lang];
  return (
    <StaffLayout page={page} title={m.title(officeName)} hasErrors={error !== null}>
      <h1 class="kern-heading-large">{m.title(officeName)}</h1>
      {notice ? <Alert variant="success" title={notice} role="status" /> : null}
      {error ? <Alert variant="danger" title={error} role="alert" /> : null}
      <p class="kern-body">{m.intro}</p>
      <form method="get" action="/staff/nachrichten" class="staff-toolbar staff-noprint">
        <div class="kern-form-input">
          <label class="kern-label" for="status">
            {m.state}
          </label>
          <div class="kern-form-input__select-wrapper">
            <select class="kern-form-input__select" id="status" name="status">
              <option value="" selected={state === undefined}>
                {m.anyState}
              </option>
              {OUTBOX_STATES.map((s) => (
                <option value={s} selected={state === s}>
                  {m.states[s]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div class="kern-form-input">
          <label class="kern-label" for="datum">
            {m.date}
          </label>
          <input class="kern-form-input__input" type="date" id="datum" name="datum" value={date} />
        </div>
        <button class="kern-btn kern-btn--secondary" type="submit">
          <span class="kern-label">{m.show}</span>
        </button>
      </form>
      {messages.length === 0 ? (
        <p class="kern-body">{m.none}</p>
      ) : (
        <StaffTable
          label={m.caption}
          columns={[m.col.created, m.col.kind, m.col.recipient, m.col.subject, m.col.state, m.col.error, m.col.action]}
        >
          {messages.map((msg) => (
            <tr>
              <td class="time">{formatWhen(msg.createdAt, page.lang)}</td>
              <td>{m.kinds[msg.kind]}</td>
              <td>
                {m.channel[msg.channel]}: {msg.recipient}
              </td>
              <td>{msg.subject ?? '–'}</td>
              <td>
                {m.states[msg.state]} ({m.col.attempts}: {msg.attempts})
                {msg.nextAttemptAt ? `, ${m.nextAttempt} ${formatWhen(msg.nextAttemptAt, page.lang)}` : ''}
              </td>
              <td>{msg.lastError ?? '–'}</td>
              <td>
                {msg.state === 'failed' ? (
                  <RowAction
                    page={page}
                    action={`/staff/nachrichten/${msg.id}/erneut`}
                    label={m.retry}
                    row={msg.subject ?? msg.recipient}
                  />
                ) : null}
              </td>
            </tr>
          ))}
        </StaffTable>
      )}
    </StaffLayout>
  );
}
