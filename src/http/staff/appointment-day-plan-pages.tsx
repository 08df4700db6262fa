import { Hono, type Context } from 'hono';
import { csvDownloadHeaders } from './csv.ts';
import { findOffice } from '../../app/shared/catalogue.ts';
import { Temporal } from 'temporal-polyfill';
import type { AppContext } from '../../app/shared/context.ts';
import { readDayPlan, type DayPlan } from '../../app/appointments/read-day-plan.ts';
import { isIsoDate } from '../../domain/calendar-text.ts';
import { DomainError } from '../../domain/errors.ts';
import { Alert } from '../pages/components.tsx';
import { formatLongDate } from '../pages/format.ts';
import type { StaffEnv } from './auth.ts';
import { dayPlanCsv, dayPlanFilename, STATUS_LABELS } from './appointment-day-plan-csv.ts';
import { requireStage, StaffLayout, staffPageFor, type StaffPage } from './page.tsx';
import { localDate } from '../../domain/zoned-time.ts';

/** Day plan (screen, print, CSV); the search across the person's offices is appointment-search-pages.tsx. */
export function dayPlanPages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  pages.use('/tagesplan', requireStage('active'));
  pages.use('/tagesplan.csv', requireStage('active'));

  const target = async (c: Context<StaffEnv>) => {
    const officeId = c.get('session')?.officeId ?? null;
    const zone = (officeId ? (await findOffice(ctx.db, officeId))?.time_zone : undefined) ?? 'Europe/Berlin';
    const given = c.req.query('datum');
    // A date that does not exist ('2026-02-30') is the error page, not the plan of another day.
    if (given && !isIsoDate(given))
      throw new DomainError('validation_failed', 'Not a date', { fields: [{ path: 'datum', message: 'YYYY-MM-DD' }] });
    const date = given || localDate(ctx.now(), zone);
    return { officeId, date, query: c.req.query('q')?.trim() || undefined };
  };

  pages.get('/tagesplan', async (c) => {
    const { officeId, date, query } = await target(c);
    if (!officeId) return c.redirect('/staff/standort', 303);
    const plan = await readDayPlan(ctx, c.get('principal'), { officeId, date, query, purpose: 'read' });
    return c.html(<DayPlanPage page={staffPageFor(c)} plan={plan} query={query ?? ''} />);
  });

  pages.get('/tagesplan.csv', async (c) => {
    const { officeId, date, query } = await target(c);
    if (!officeId) return c.redirect('/staff/standort', 303);
    const plan = await readDayPlan(ctx, c.get('principal'), { officeId, date, query, purpose: 'export' });
    return c.body(dayPlanCsv(plan, staffPageFor(c).lang), 200, csvDownloadHeaders(dayPlanFilename(plan)));
  });

  return pages;
}

function shiftDate(date: string, days: number): string {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

function DayPlanPage({ page, plan, query }: { page: StaffPage; plan: DayPlan; query: string }) {
  const { t, lang } = page;
  const title = `${t.dayPlan.title} ${plan.office.name}, ${formatLongDate(plan.date, lang)}`;
  const qs = (date: string) => `?datum=${date}${query ? `&q=${encodeURIComponent(query)}` : ''}`;
  return (
    <StaffLayout page={page} title={title}>
      <h1 class="kern-heading-large">{title}</h1>
      <form method="get" action="/staff/tagesplan" class="staff-toolbar" role="search">
        <div class="kern-form-input">
          <label class="kern-label" for="datum">
            {t.dayPlan.date}
          </label>
          <input class="kern-form-input__input" type="date" id="datum" name="datum" value={plan.date} />
        </div>
        <div class="kern-form-input">
          <label class="kern-label" for="q">
            {t.dayPlan.search}
          </label>
          <input class="kern-form-input__input" type="search" id="q" name="q" value={query} accesskey="s" />
        </div>
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{t.dayPlan.show}</span>
        </button>
      </form>
      <p class="staff-toolbar">
        <a class="kern-link" href={`/staff/tagesplan${qs(shiftDate(plan.date, -1))}`} rel="prev">
          ← {t.dayPlan.previous}
        </a>
        <a class="kern-link" href={`/staff/tagesplan${qs(shiftDate(plan.date, 1))}`} rel="next">
          {t.dayPlan.next} →
        </a>
        <a class="kern-link" href={`/staff/tagesplan.csv${qs(plan.date)}`} download>
          {t.dayPlan.csv}
        </a>
        {/* Printing is the browser's own function; the print stylesheet leaves only the table. */}
        <span class="kern-body">{t.dayPlan.print}: Strg+P / Ctrl+P</span>
      </p>
      <p class="kern-body" role="status">
        {t.dayPlan.total(plan.entries.length)}
        {Object.entries(plan.counts).map(([status, n]) => ` · ${n} ${STATUS_LABELS[lang][status] ?? status}`)}
      </p>
      {plan.entries.length === 0 ? (
        <Alert variant="info" title={t.dayPlan.empty} />
      ) : (
        <table class="staff-table">
          <caption class="kern-sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t.dayPlan.time}</th>
              <th scope="col">{t.dayPlan.reference}</th>
              <th scope="col">{t.dayPlan.status}</th>
              <th scope="col">{t.dayPlan.name}</th>
              <th scope="col">{t.dayPlan.contact}</th>
              <th scope="col">{t.dayPlan.services}</th>
            </tr>
          </thead>
          <tbody>
            {plan.entries.map((e) => (
              <tr class={e.status === 'cancelled' ? 'staff-row--cancelled' : undefined}>
                <td class="time">
                  {e.start.slice(11, 16)}–{e.end.slice(11, 16)}
                </td>
                <td>
                  <a class="kern-link" href={`/staff/termine/${e.id}`}>
                    {e.reference}
                  </a>
                </td>
                <td>{STATUS_LABELS[lang][e.status] ?? e.status}</td>
                <td>{e.citizen.name}</td>
                <td>{[e.citizen.phone, e.citizen.email].filter(Boolean).join(', ')}</td>
                <td>{e.services.map((s) => `${s.persons} × ${lang === 'de' ? s.nameDe : s.nameEn}`).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </StaffLayout>
  );
}
