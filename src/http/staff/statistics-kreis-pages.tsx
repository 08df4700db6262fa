import { Hono, type Context } from 'hono';
import type { AppContext } from '../../app/shared/context.ts';
import { canReadKreisStatistics, readKreisOverview, type KreisOverview } from '../../app/statistics/statistics-kreis.ts';
import { localPlainDate } from '../../domain/zoned-time.ts';
import type { StaffEnv } from './auth.ts';
import { csvDownloadHeaders } from './csv.ts';
import { kreisStatisticsMessages, type KreisStatisticsMessages } from './messages/statistics-kreis.ts';
import { statisticsMessages, type StatisticsMessages } from './messages/statistics.ts';
import { forbiddenPage, requireStage, StaffLayout, staffErrorPage, staffPageFor, type StaffPage } from './page.tsx';
import { kreisStatisticsCsv, kreisStatisticsFilename } from './statistics-kreis-csv.ts';
import { statisticsForm } from './statistics-pages.tsx';

// /staff/statistik/kreis (#20): one row per town for staff of the whole Kreis, and the same as CSV.
// Town staff get 403: their town's figures are on the statistics page.

export const KREIS_STATISTICS_PATH = '/staff/statistik/kreis';

export function kreisStatisticsPages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  pages.use('/statistik/kreis', requireStage('active'));
  pages.use('/statistik/kreis.csv', requireStage('active'));

  /** The range of the query (default: the last four weeks, Kreis time), or null when the dates make no sense. */
  const load = async (c: Context<StaffEnv>) => {
    const today = localPlainDate(ctx.now(), 'Europe/Berlin');
    const form = statisticsForm(c.req.query(), today);
    const range = form ?? statisticsForm({}, today)!;
    const overview = await readKreisOverview(ctx, c.get('principal'), { from: range.from, to: range.to });
    return { overview, invalid: form === null };
  };

  pages.get('/statistik/kreis', async (c) => {
    if (!canReadKreisStatistics(c.get('principal'))) return forbiddenPage(c);
    const page = staffPageFor(c);
    const { overview, invalid } = await load(c);
    return c.html(
      <KreisPage
        page={page}
        m={kreisStatisticsMessages[page.lang]}
        s={statisticsMessages[page.lang]}
        overview={overview}
        invalid={invalid}
      />,
      invalid ? 422 : 200,
    );
  });

  pages.get('/statistik/kreis.csv', async (c) => {
    if (!canReadKreisStatistics(c.get('principal'))) return forbiddenPage(c);
    const { overview, invalid } = await load(c);
    if (invalid) return staffErrorPage(c, 'validation_failed', 422);
    return c.body(kreisStatisticsCsv(overview, staffPageFor(c).lang), 200, csvDownloadHeaders(kreisStatisticsFilename(overview)));
  });
  return pages;
}

type Props = { page: StaffPage; m: KreisStatisticsMessages; s: StatisticsMessages; overview: KreisOverview; invalid: boolean };

function KreisPage({ page, m, s, overview, invalid }: Props) {
  const qs = new URLSearchParams({ von: overview.from, bis: overview.to });
  const cells = (t: KreisOverview['total']) => (
    <>
      <td>{s.number(t.offices)}</td>
      <td>{s.number(t.booked)}</td>
      <td>{s.number(t.served)}</td>
      <td>{s.number(t.noShow)}</td>
      <td>{s.percent(t.noShowRate)}</td>
      <td>{s.minutes(t.waitMedianMinutes)}</td>
    </>
  );
  return (
    <StaffLayout page={page} title={m.title} hasErrors={invalid}>
      <h1 class="kern-heading-large">{m.title}</h1>
      <p class="kern-body">{m.intro}</p>
      <form method="get" action={KREIS_STATISTICS_PATH} class="stat-filter staff-noprint">
        <fieldset class="kern-fieldset">
          <legend class="kern-label">{m.filter}</legend>
          {invalid ? (
            <p class="kern-error" role="alert">
              {s.invalid}
            </p>
          ) : null}
          <div class="stat-filter__row">
            <div class="kern-form-input">
              <label class="kern-label" for="von">
                {s.from}
              </label>
              <input class="kern-form-input__input" type="date" id="von" name="von" value={overview.from} required />
            </div>
            <div class="kern-form-input">
              <label class="kern-label" for="bis">
                {s.to}
              </label>
              <input class="kern-form-input__input" type="date" id="bis" name="bis" value={overview.to} required />
            </div>
          </div>
          <button class="kern-btn kern-btn--primary" type="submit">
            <span class="kern-label">{s.show}</span>
          </button>
        </fieldset>
      </form>
      <ul class="stat-downloads">
        <li>
          <a class="kern-link" href={`${KREIS_STATISTICS_PATH}.csv?${qs.toString()}`} download>
            {m.csv}
          </a>
        </li>
      </ul>
      {overview.towns.length === 0 ? (
        <p class="kern-body">{m.noTowns}</p>
      ) : (
        <div class="stat-table" tabindex={0} role="region" aria-label={s.tableOf(m.title)}>
          <table class="kern-table">
            <caption>{m.caption(s.date(overview.from), s.date(overview.to))}</caption>
            <thead>
              <tr>
                <th scope="col">{m.cols.town}</th>
                <th scope="col">{m.cols.offices}</th>
                <th scope="col">{m.cols.booked}</th>
                <th scope="col">{m.cols.served}</th>
                <th scope="col">{m.cols.noShow}</th>
                <th scope="col">{m.cols.noShowRate}</th>
                <th scope="col">{m.cols.waitMedian}</th>
              </tr>
            </thead>
            <tbody>
              {overview.towns.map((t) => (
                <tr>
                  <th scope="row">{t.name}</th>
                  {cells(t)}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{m.total}</th>
                {cells(overview.total)}
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      <p class="kern-body">{m.bookedNote}</p>
    </StaffLayout>
  );
}
