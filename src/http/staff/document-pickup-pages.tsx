import { Hono, type Context } from 'hono';
import type { AppContext } from '../../app/shared/context.ts';
import type { CounterCommand, CounterCommandType } from '../../app/counter/counter-command.ts';
import { executeCounterCommand, staffCommand } from '../../app/counter/execute-counter-command.ts';
import { importDocumentOrders, type ImportProblem } from '../../app/documents/import-document-orders.ts';
import type { DocumentView } from '../../app/documents/document-view.ts';
import { listDocuments } from '../../app/documents/list-documents.ts';
import { formatDateTime } from '../../app/messaging/appointment-messages.ts';
import { officeDayAt } from '../../app/shared/office-time.ts';
import { DOCUMENT_KINDS, type DocumentKind, type DocumentState } from '../../domain/document-order.ts';
import { DomainError } from '../../domain/errors.ts';
import { Alert } from '../pages/components.tsx';
import type { StaffEnv } from './auth.ts';
import { officeHead } from './counter-pages.tsx';
import { counterMessages } from './messages/counter.ts';
import { CsrfField, errorText, requireStage, StaffLayout, staffPageFor, type StaffPage } from './page.tsx';
import { RowAction, StaffTable } from './staff-table.tsx';
import { newEntityId } from '../../app/shared/ids.ts';

const text = (form: Record<string, unknown>, name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
const STATES: DocumentState[] = ['in_production', 'ready', 'handed_out', 'returned'];

/**
 * Document pickup at the counter: find an order, hand it out to the holder or an authorised person,
 * mark deliveries ready, register orders, read the producer's list. Works on the local database only.
 */
export function pickupPages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  pages.use('/abholung', requireStage('active'));
  pages.use('/abholung/*', requireStage('active'));
  const officeOf = (c: Context<StaffEnv>) => c.get('session')?.officeId ?? null;

  const show = async (c: Context<StaffEnv>, notice: string | null, error: string | null, status: 200 | 409 | 422 = 200) => {
    const officeId = officeOf(c);
    if (!officeId) return c.redirect('/staff/standort', 303);
    const query = c.req.query('q')?.trim() ?? '';
    const raw = c.req.query('status');
    const state = raw === '' ? undefined : STATES.includes(raw as DocumentState) ? (raw as DocumentState) : query ? undefined : 'ready';
    const documents = await listDocuments(ctx, c.get('principal'), officeId, { state, query, limit: 50 });
    const { timeZone } = await officeDayAt(ctx.db, officeId, ctx.now());
    return c.html(
      <PickupPage
        page={staffPageFor(c)}
        documents={documents}
        query={query}
        state={state ?? ''}
        notice={notice}
        error={error}
        timeZone={timeZone}
      />,
      status,
    );
  };

  pages.get('/abholung', (c) => {
    const t = counterMessages(staffPageFor(c).lang).pickup;
    const nr = c.req.query('nr') ?? '';
    const ok = c.req.query('ok');
    const notice =
      ok === 'ausgehaendigt' ? t.handedOut(nr) : ok === 'abholbereit' ? t.markedReady(nr) : ok === 'erfasst' ? t.registered(nr) : null;
    return show(c, notice, null);
  });

  const act =
    (build: (c: Context<StaffEnv>, form: Record<string, unknown>) => { type: CounterCommandType; payload: unknown; done: string }) =>
    async (c: Context<StaffEnv>) => {
      const officeId = officeOf(c);
      if (!officeId) return c.redirect('/staff/standort', 303);
      const form = await c.req.parseBody();
      try {
        const { type, payload, done } = build(c, form);
        const outcome = await executeCounterCommand(
          ctx,
          staffCommand(c.get('principal'), { type, officeId, payload, at: ctx.now() } as never) as CounterCommand,
        );
        return c.redirect(
          `/staff/abholung?ok=${done}&nr=${encodeURIComponent(outcome.document?.orderNumber ?? '')}&q=${encodeURIComponent(outcome.document?.orderNumber ?? '')}&status=`,
          303,
        );
      } catch (error) {
        const lang = staffPageFor(c).lang;
        if (!(error instanceof DomainError) || error.code !== 'validation_failed') return show(c, null, errorText(error, lang), 409);
        // Say which field: an address list ('a@x, b@y') in the email field is refused here, as in the API.
        const fields = (error.details as { fields?: { path: string }[] } | undefined)?.fields ?? [];
        const problems = counterMessages(lang).pickup.importProblems as Record<string, string>;
        const named = fields.map((f) => problems[f.path]).filter((m): m is string => m !== undefined);
        return show(c, null, named.length > 0 ? named.join('; ') : errorText(error, lang), 422);
      }
    };

  pages.post(
    '/abholung/:nr/aushaendigen',
    act((c, f) => ({
      type: 'document.hand_out',
      payload: {
        orderNumber: c.req.param('nr') ?? '',
        recipient: text(f, 'recipient') === 'authorised' ? 'authorised' : 'holder',
        authorisedName: text(f, 'authorisedName') || null,
      },
      done: 'ausgehaendigt',
    })),
  );
  pages.post(
    '/abholung/:nr/abholbereit',
    act((c) => ({ type: 'document.ready', payload: { orderNumber: c.req.param('nr') ?? '' }, done: 'abholbereit' })),
  );
  pages.post(
    '/abholung/erfassen',
    act((_c, f) => {
      const kind = text(f, 'kind') as DocumentKind;
      return {
        type: 'document.register',
        payload: {
          documentId: newEntityId(ctx),
          orderNumber: text(f, 'orderNumber'),
          kind: DOCUMENT_KINDS.includes(kind) ? kind : 'other',
          holderName: text(f, 'holderName'),
          email: text(f, 'email') || null,
          phone: text(f, 'phone') || null,
          state: text(f, 'ready') === 'on' ? 'ready' : 'in_production',
          source: 'counter',
        },
        done: 'erfasst',
      };
    }),
  );
  pages.post('/abholung/einlesen', async (c) => {
    const officeId = officeOf(c);
    if (!officeId) return c.redirect('/staff/standort', 303);
    const page = staffPageFor(c);
    const form = await c.req.parseBody();
    const file = form.file;
    const csv = file instanceof File ? await file.text() : text(form, 'csv');
    try {
      const r = await importDocumentOrders(ctx, c.get('principal'), { officeId, csv });
      return show(c, counterMessages(page.lang).pickup.imported(r.created, r.ready, r.unchanged), null);
    } catch (error) {
      return show(c, null, importErrorText(error, page.lang), 422);
    }
  });
  return pages;
}

/** The clerk learns which cells to correct: row as the spreadsheet shows it, and the column. */
function importErrorText(error: unknown, lang: StaffPage['lang']): string {
  const problems =
    error instanceof DomainError && error.code === 'validation_failed'
      ? ((error.details as { fields?: ImportProblem[] } | undefined)?.fields ?? [])
      : [];
  if (problems.length === 0) return errorText(error, lang);
  const t = counterMessages(lang).pickup;
  const lines = problems.map((p) =>
    p.field === 'header' ? t.importProblems.header : `${t.importRow(p.row)}: ${t.importProblems[p.field]}`,
  );
  return `${t.importRefused} ${lines.join('; ')}.`;
}

type Props = {
  page: StaffPage;
  documents: DocumentView[];
  query: string;
  state: string;
  notice: string | null;
  error: string | null;
  timeZone: string;
};

function PickupPage({ page, documents, query, state, notice, error, timeZone }: Props) {
  const t = counterMessages(page.lang).pickup;
  return (
    <StaffLayout page={page} title={t.title} head={officeHead()}>
      <h1 class="kern-heading-large">{t.title}</h1>
      {notice ? <Alert variant="success" title={notice} role="status" /> : null}
      {error ? <Alert variant="danger" title={error} role="alert" focus /> : null}
      <form method="get" action="/staff/abholung" class="staff-toolbar">
        <div class="kern-form-input">
          <label class="kern-label" for="q">
            {t.search}
          </label>
          <input class="kern-form-input__input" id="q" name="q" value={query} autocomplete="off" />
        </div>
        <div class="kern-form-input">
          <label class="kern-label" for="status">
            {t.state}
          </label>
          <div class="kern-form-input__select-wrapper">
            <select class="kern-form-input__select" id="status" name="status">
              <option value="">{t.all}</option>
              {STATES.map((s) => (
                <option value={s} selected={state === s}>
                  {t.states[s]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{t.show}</span>
        </button>
      </form>
      {documents.length === 0 ? (
        <p class="kern-body">{t.none}</p>
      ) : (
        <StaffTable label={t.listCaption} columns={[t.orderNumber, t.kind, t.holder, t.state, t.handOut]}>
          {documents.map((d) => (
            <tr>
              <td class="time">{d.orderNumber}</td>
              <td>{t.kinds[d.kind]}</td>
              <td>{d.holderName}</td>
              <td>
                {t.states[d.state]}
                {d.state === 'ready' && d.readyAt ? ` (${t.readyAt} ${formatDateTime(new Date(d.readyAt), timeZone, page.lang)})` : ''}
                {d.state === 'handed_out' && d.authorisedName ? ` → ${d.authorisedName}` : ''}
              </td>
              <td>
                {d.state === 'ready' ? <HandOutForm page={page} document={d} /> : null}
                {d.state === 'in_production' ? (
                  <RowAction
                    page={page}
                    action={`/staff/abholung/${encodeURIComponent(d.orderNumber)}/abholbereit`}
                    label={t.markReady}
                    row={d.orderNumber}
                    variant="tertiary"
                  />
                ) : null}
              </td>
            </tr>
          ))}
        </StaffTable>
      )}
      <h2 class="kern-heading-medium">{t.registerTitle}</h2>
      <form method="post" action="/staff/abholung/erfassen" class="counter-inline">
        <CsrfField page={page} />
        {(
          [
            ['orderNumber', t.orderNumber, true],
            ['holderName', t.holder, true],
            ['email', `${t.email} ${t.optional}`, false],
            ['phone', `${t.phone} ${t.optional}`, false],
          ] as const
        ).map(([name, label, required]) => (
          <div class="kern-form-input">
            <label class="kern-label" for={`reg-${name}`}>
              {label}
            </label>
            <input class="kern-form-input__input" id={`reg-${name}`} name={name} required={required || undefined} autocomplete="off" />
          </div>
        ))}
        <div class="kern-form-input">
          <label class="kern-label" for="reg-kind">
            {t.kind}
          </label>
          <div class="kern-form-input__select-wrapper">
            <select class="kern-form-input__select" id="reg-kind" name="kind">
              {DOCUMENT_KINDS.map((k) => (
                <option value={k}>{t.kinds[k]}</option>
              ))}
            </select>
          </div>
        </div>
        <div class="kern-form-check">
          <input class="kern-form-check__checkbox" type="checkbox" id="reg-ready" name="ready" />
          <label class="kern-label" for="reg-ready">
            {t.alreadyReady}
          </label>
        </div>
        <button class="kern-btn kern-btn--secondary" type="submit">
          <span class="kern-label">{t.register}</span>
        </button>
      </form>
      <h2 class="kern-heading-medium">{t.importTitle}</h2>
      <form method="post" action="/staff/abholung/einlesen" enctype="multipart/form-data" class="counter-inline">
        <CsrfField page={page} />
        <div class="kern-form-input">
          <label class="kern-label" for="file">
            {t.file}
          </label>
          <div class="kern-hint" id="file-hint">
            {t.importHint}
          </div>
          <input class="kern-form-input__input" type="file" id="file" name="file" accept=".csv,text/csv" aria-describedby="file-hint" />
        </div>
        <button class="kern-btn kern-btn--secondary" type="submit">
          <span class="kern-label">{t.import}</span>
        </button>
      </form>
    </StaffLayout>
  );
}

function HandOutForm({ page, document }: { page: StaffPage; document: DocumentView }) {
  const t = counterMessages(page.lang).pickup;
  const id = `ho-${document.id}`;
  return (
    <form method="post" action={`/staff/abholung/${encodeURIComponent(document.orderNumber)}/aushaendigen`}>
      <CsrfField page={page} />
      <fieldset class="kern-fieldset">
        <legend class="kern-label">{`${document.orderNumber}: ${t.handOut}`}</legend>
        <div class="kern-form-check">
          <input class="kern-form-check__radio" type="radio" id={`${id}-holder`} name="recipient" value="holder" checked />
          <label class="kern-label" for={`${id}-holder`}>
            {t.toHolder}
          </label>
        </div>
        <div class="kern-form-check">
          <input class="kern-form-check__radio" type="radio" id={`${id}-auth`} name="recipient" value="authorised" />
          <label class="kern-label" for={`${id}-auth`}>
            {t.toAuthorised}
          </label>
        </div>
        <div class="kern-form-input">
          <label class="kern-label" for={`${id}-name`}>
            {t.authorisedName}
          </label>
          <input class="kern-form-input__input" id={`${id}-name`} name="authorisedName" autocomplete="off" />
        </div>
      </fieldset>
      <button class="kern-btn kern-btn--primary" type="submit">
        <span class="kern-label">{t.handOut}</span>
      </button>
    </form>
  );
}
