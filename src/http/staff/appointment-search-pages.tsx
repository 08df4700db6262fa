import { Hono } from 'hono';
import type { AppointmentView } from '../../app/appointments/appointment-record.ts';
import { searchAppointmentsForStaff, SEARCH_LIMIT } from '../../app/appointments/search-appointments.ts';
import { formatDateTime } from '../../app/messaging/appointment-messages.ts';
import { listOffices } from '../../app/shared/catalogue.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { Alert } from '../pages/components.tsx';
import type { StaffEnv } from './auth.ts';
import { STATUS_LABELS } from './appointment-day-plan-csv.ts';
import { errorText, requireStage, StaffLayout, staffPageFor, type StaffPage } from './page.tsx';

type OfficeLabel = { name: string; timeZone: string };

/** /staff/suche: one field for name, Buchungsnummer, phone or email across the person's offices (#22). */
export function appointmentSearchPages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  pages.use('/suche', requireStage('active'));

  pages.get('/suche', async (c) => {
    const page = staffPageFor(c);
    const query = c.req.query('q')?.trim() ?? '';
    if (!query) return c.html(<SearchPage page={page} query="" results={null} offices={new Map()} error={null} />);
    try {
      const results = await searchAppointmentsForStaff(ctx, c.get('principal'), { query });
      // Names and time zones of the offices, read after the search: ids are never shown.
      const offices = new Map((await listOffices(ctx.db)).map((o) => [o.id, { name: o.name, timeZone: o.time_zone }]));
      return c.html(<SearchPage page={page} query={query} results={results} offices={offices} error={null} />);
    } catch (error) {
      return c.html(<SearchPage page={page} query={query} results={null} offices={new Map()} error={errorText(error, page.lang)} />, 422);
    }
  });

  return pages;
}

type SearchProps = {
  page: StaffPage;
  query: string;
  results: AppointmentView[] | null;
  offices: Map<string, OfficeLabel>;
  error: string | null;
};

function SearchPage({ page, query, results, offices, error }: SearchProps) {
  const { t, lang } = page;
  return (
    <StaffLayout page={page} title={t.search.title} hasErrors={error !== null}>
      <h1 class="kern-heading-large">{t.search.title}</h1>
      <form method="get" action="/staff/suche" class="staff-toolbar" role="search">
        <div class="kern-form-input">
          <label class="kern-label" for="q">
            {t.search.query}
          </label>
          <div class="kern-hint" id="q-hint">
            {t.search.hint}
          </div>
          <input
            class="kern-form-input__input"
            type="search"
            id="q"
            name="q"
            value={query}
            autofocus
            minlength={2}
            maxlength={100}
            aria-describedby="q-hint"
          />
        </div>
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{t.search.submit}</span>
        </button>
      </form>
      {error ? <Alert variant="danger" title={error} role="alert" /> : null}
      {results && results.length === 0 ? <Alert variant="info" title={t.search.none} role="status" /> : null}
      {results && results.length > 0 ? (
        <>
          <p class="kern-body" role="status">
            {t.search.found(results.length)}
          </p>
          {results.length >= SEARCH_LIMIT ? <Alert variant="warning" title={t.search.tooMany(SEARCH_LIMIT)} /> : null}
          {/* A narrow screen scrolls the table, not the page (WCAG 1.4.10 allows it for data tables). */}
          <div class="staff-scroll" tabindex={0} role="region" aria-label={t.search.caption}>
            <table class="staff-table">
              <caption class="kern-sr-only">{t.search.caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.appointment.when}</th>
                  <th scope="col">{t.dayPlan.reference}</th>
                  <th scope="col">{t.dayPlan.status}</th>
                  <th scope="col">{t.dayPlan.name}</th>
                  <th scope="col">{t.dayPlan.contact}</th>
                  <th scope="col">{t.appointment.office}</th>
                </tr>
              </thead>
              <tbody>
                {results.map((a) => {
                  const office = offices.get(a.officeId);
                  return (
                    <tr class={a.status === 'cancelled' ? 'staff-row--cancelled' : undefined}>
                      <td class="time">{formatDateTime(new Date(a.start), office?.timeZone ?? 'Europe/Berlin', lang)}</td>
                      <td>
                        <a class="kern-link" href={`/staff/termine/${a.id}`}>
                          {a.reference}
                        </a>
                      </td>
                      <td>{STATUS_LABELS[lang][a.status] ?? a.status}</td>
                      <td>{a.citizen.name}</td>
                      <td>{[a.citizen.phone, a.citizen.email].filter(Boolean).join(', ')}</td>
                      <td>{office?.name ?? ''}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </StaffLayout>
  );
}
