import type { Child } from 'hono/jsx';
import type { Context, Hono } from 'hono';
import { cancelByReminder, readReminder } from '../../app/appointments/appointment-reminders.ts';
import { catalogue } from '../../app/shared/catalogue.ts';
import { DomainError } from '../../domain/errors.ts';
import { Alert, Facts, LinkButton, OfficeName, SubmitButton } from './components.tsx';
import { MessagePage } from './error-pages.tsx';
import { formatDateTime, formatTime } from './format.ts';
import { Layout } from './layout.tsx';
import { reminderTexts } from './messages/closure-offer-texts.ts';
import { pageFor, type CitizenPageOptions } from './page-context.ts';

// The cancel link of the reminder the day before. Opening it only asks; the POST cancels, so a
// mail scanner opening the link never gives anyone's appointment away.

const ROUTE = '/erinnerung/:token{[A-Za-z0-9_-]{43}}';

export function reminderRoutes(app: Hono, options: CitizenPageOptions) {
  const { ctx } = options;
  const notFound = (c: Context) => {
    const w = reminderTexts(pageFor(c, options).lang);
    return MessagePage(c, options, { title: w.notFoundTitle, body: w.notFoundBody }, 404);
  };
  app.use('/erinnerung/*', async (c, next) => {
    await next();
    if (c.error instanceof DomainError && c.error.code === 'not_found') c.res = await notFound(c);
  });

  app.get(ROUTE, async (c) => {
    const page = pageFor(c, options);
    const w = reminderTexts(page.lang);
    const token = c.req.param('token')!;
    const a = await readReminder(ctx, token);
    const office = (await catalogue(ctx)).offices.find((o) => o.id === a.office_id)!;
    const tz = office.time_zone;
    const facts: [string, Child][] = [
      [w.reference, a.reference],
      [w.when, `${formatDateTime(a.starts_at, tz, page.lang)} – ${formatTime(a.ends_at, tz, page.lang)}`],
      [w.where, <OfficeName office={office} />],
    ];
    if (a.status === 'cancelled') {
      return c.html(
        <Layout page={page} title={w.cancelledTitle} noindex>
          <h1 class="kern-heading-large">{w.cancelledTitle}</h1>
          {c.req.query('erfolg') === 'abgesagt' ? <Alert variant="success" title={w.cancelledTitle} role="status" /> : null}
          <p class="kern-body">{w.cancelled}</p>
          <Facts rows={facts} />
          <div class="actions">
            <LinkButton href="/" label={w.bookNew} variant="secondary" />
          </div>
        </Layout>,
      );
    }
    if (a.status !== 'confirmed' && a.status !== 'reserved') return MessagePage(c, options, { title: w.closedTitle, body: w.closed }, 200);
    if (a.starts_at.getTime() <= ctx.now()) return MessagePage(c, options, { title: w.closedTitle, body: w.closed }, 200);
    return c.html(
      <Layout page={page} title={w.title} noindex>
        <h1 class="kern-heading-large">{w.title}</h1>
        <Facts rows={facts} />
        <h2 class="kern-heading-medium">{w.question}</h2>
        <p class="kern-body">{w.consequence}</p>
        <form method="post" action={`/erinnerung/${token}`}>
          <div class="actions">
            <SubmitButton label={w.submit} />
          </div>
        </form>
        <p class="kern-body">{w.keep}</p>
      </Layout>,
    );
  });

  app.post(ROUTE, async (c) => {
    const token = c.req.param('token')!;
    try {
      await cancelByReminder(ctx, token);
      return c.redirect(`/erinnerung/${token}?erfolg=abgesagt`, 303);
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'too_late' || error.code === 'invalid_state')) {
        const w = reminderTexts(pageFor(c, options).lang);
        return MessagePage(c, options, { title: w.closedTitle, body: w.closed }, 409);
      }
      throw error;
    }
  });

  app.all('/erinnerung/*', (c) => notFound(c));
}
