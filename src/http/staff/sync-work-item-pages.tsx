import { Hono, type Context } from 'hono';
import type { AppContext } from '../../app/shared/context.ts';
import { assertOfficeAccess } from '../../app/appointments/staff-appointments.ts';
import { officeTimeZone } from '../../app/shared/office-time.ts';
import { DomainError } from '../../domain/errors.ts';
import { actorOf } from '../../domain/staff-access.ts';
import { listWorkItems, resolveWorkItem, type WorkItem } from '../../sync/work-items.ts';
import { Alert, FieldError } from '../pages/components.tsx';
import type { StaffEnv } from './auth.ts';
import { workItemMessages } from './messages/sync-work-items.ts';
import { CsrfField, errorText, requirePageRole, requireStage, StaffLayout, staffPageFor, type StaffPage } from './page.tsx';

// Klärfälle (#6): what a branch did during Notbetrieb that the central state did not allow. The fact
// stands; a team lead reads what happened at the branch and centrally, settles it and writes down how.

export function workItemPages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  pages.use('/klaerfaelle', requireStage('active'), requirePageRole('teamlead'));
  pages.use('/klaerfaelle/*', requireStage('active'), requirePageRole('teamlead'));

  const show = async (
    c: Context<StaffEnv>,
    notice: string | null,
    error: { id: string; message: string } | null,
    status: 200 | 404 | 409 | 422 = 200,
  ) => {
    const officeId = c.get('session')?.officeId;
    if (!officeId) return c.redirect('/staff/standort', 303);
    assertOfficeAccess(c.get('principal'), officeId);
    const all = c.req.query('alle') === '1';
    const timeZone = await officeTimeZone(ctx.db, officeId);
    const items = await listWorkItems(ctx.db, { officeId, resolved: all, now: ctx.now() });
    return c.html(
      <WorkItemPage page={staffPageFor(c)} items={items} all={all} timeZone={timeZone} notice={notice} error={error} />,
      status,
    );
  };

  pages.get('/klaerfaelle', (c) => show(c, c.req.query('ok') ? workItemMessages[staffPageFor(c).lang].saved : null, null));

  pages.post('/klaerfaelle/:id{[0-9a-f-]{36}}', async (c) => {
    const officeId = c.get('session')?.officeId;
    if (!officeId) return c.redirect('/staff/standort', 303);
    const id = c.req.param('id');
    const lang = staffPageFor(c).lang;
    const form = await c.req.parseBody();
    const note = typeof form.note === 'string' ? form.note.trim().slice(0, 1000) : '';
    if (note === '') return show(c, null, { id, message: workItemMessages[lang].noteMissing }, 422);
    try {
      assertOfficeAccess(c.get('principal'), officeId);
      await resolveWorkItem(ctx, { officeId, itemId: id, note, actor: actorOf(c.get('principal')) });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return show(c, null, { id, message: errorText(error, lang) }, error.code === 'already_resolved' ? 409 : 404);
    }
    return c.redirect('/staff/klaerfaelle?ok=1', 303);
  });
  return pages;
}

function WorkItemPage(props: {
  page: StaffPage;
  items: WorkItem[];
  all: boolean;
  timeZone: string;
  notice: string | null;
  error: { id: string; message: string } | null;
}) {
  const { page, items, all, timeZone, notice, error } = props;
  const t = workItemMessages[page.lang];
  const locale = page.lang === 'de' ? 'de-DE' : 'en-GB';
  const when = (iso: string | null) =>
    iso ? new Date(iso).toLocaleString(locale, { timeZone, dateStyle: 'short', timeStyle: 'short' }) : t.noDetails;
  return (
    <StaffLayout page={page} title={t.title} hasErrors={error !== null}>
      <h1 class="kern-heading-large">{t.title}</h1>
      {notice ? <Alert variant="success" title={notice} role="status" /> : null}
      {error && !items.some((i) => i.id === error.id) ? <Alert variant="danger" title={error.message} role="alert" /> : null}
      <p class="kern-body">{t.intro}</p>
      <p>
        <a class="kern-link" href={all ? '/staff/klaerfaelle' : '/staff/klaerfaelle?alle=1'}>
          {all ? t.showOpen : t.showAll}
        </a>
      </p>
      {items.length === 0 ? <p class="kern-body">{t.empty}</p> : null}
      <ol class="call-list">
        {items.map((item) => {
          const fieldError = error?.id === item.id ? error.message : undefined;
          return (
            <li class="call-list__entry">
              <h2 class="kern-heading-small">{t.kind[item.kind] ?? item.kind}</h2>
              <dl class="kern-description-list">
                <div class="kern-description-list-item">
                  <dt class="kern-description-list-item__key">{t.branch}</dt>
                  <dd class="kern-description-list-item__value">
                    {when(item.branchAt)}
                    {item.branchCutOff === null ? '' : item.branchCutOff ? t.cutOff : t.connected}: {item.branchAction ?? t.noDetails}
                  </dd>
                </div>
                <div class="kern-description-list-item">
                  <dt class="kern-description-list-item__key">{t.central}</dt>
                  <dd class="kern-description-list-item__value">
                    {t.centralAt(when(item.createdAt))}: {item.centralVerdict ?? t.noDetails}
                  </dd>
                </div>
                <div class="kern-description-list-item">
                  <dt class="kern-description-list-item__key">{t.message}</dt>
                  <dd class="kern-description-list-item__value">{item.message}</dd>
                </div>
              </dl>
              {item.resolvedAt ? (
                <p class="kern-body">
                  {t.resolved(when(item.resolvedAt), item.resolvedByName ?? item.resolvedBy ?? t.noDetails)}: {item.resolutionNote}
                </p>
              ) : (
                <form method="post" action={`/staff/klaerfaelle/${item.id}`}>
                  <CsrfField page={page} />
                  <div class={`kern-form-input${fieldError ? ' kern-form-input--error' : ''}`}>
                    <label class="kern-label" for={`notiz-${item.id}`}>
                      {t.note}
                    </label>
                    <div class="kern-hint" id={`notiz-${item.id}-hinweis`}>
                      {t.noteHint}
                    </div>
                    <FieldError id={`notiz-${item.id}-fehler`} message={fieldError} />
                    <textarea
                      class="kern-form-input__input"
                      id={`notiz-${item.id}`}
                      name="note"
                      rows={2}
                      maxlength={1000}
                      required
                      aria-describedby={`notiz-${item.id}-hinweis${fieldError ? ` notiz-${item.id}-fehler` : ''}`}
                      aria-invalid={fieldError ? 'true' : undefined}
                    ></textarea>
                  </div>
                  <button class="kern-btn kern-btn--primary" type="submit">
                    <span class="kern-label">{t.resolve}</span>
                  </button>
                </form>
              )}
            </li>
          );
        })}
      </ol>
    </StaffLayout>
  );
}
