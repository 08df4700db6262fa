import { Hono, type Context } from 'hono';
import { csvDownloadHeaders } from './csv.ts';
import { Temporal } from 'temporal-polyfill';
import { findOffice, listServices } from '../../app/shared/catalogue.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { readStatistics, type Period, type StatisticsReport } from '../../app/statistics/read-statistics.ts';
import { demandByPeriod } from '../../app/statistics/statistics-demand.ts';
import { isIsoDate } from '../../domain/calendar-text.ts';
import { hasRole } from '../../domain/staff-access.ts';
import { ERROR_MESSAGES } from '../api/error-messages.ts';
import type { StaffEnv } from './auth.ts';
import { BarChart, DataTable } from './charts.tsx';
import { formatDayShort } from './dates.ts';
import { statisticsMessages, type StatisticsMessages } from './messages/statistics.ts';
import { requireStage, StaffLayout, staffErrorPage, staffPageFor, type StaffPage } from './page.tsx';
import { statisticsCsv, statisticsFilename } from './statistics-csv.ts';
import { HoursSection } from './statistics-hours-view.tsx';
import { TrendSection } from './statistics-trend-view.tsx';
import { BreakdownSection } from './statistics-breakdown-view.tsx';
import { SideBySideSection } from './statistics-side-by-side-view.tsx';
import { readSideBySide, type SideBySide } from '../../app/statistics/statistics-side-by-side.ts';
import { readBreakdown, type Breakdown } from '../../app/statistics/statistics-breakdown.ts';
import { statisticsHoursCsv, statisticsHoursFilename } from './statistics-hours-csv.ts';
import { localPlainDate } from '../../domain/zoned-time.ts';
import { canReadKreisStatistics } from '../../app/statistics/statistics-kreis.ts';
import { kreisStatisticsMessages } from './messages/statistics-kreis.ts';

const MAX_DAYS = 731;

type Form = { from: string; to: string; period: Period; serviceId: string; targetDays: number };

/** Reads the filter from the query; defaults to the last four weeks. null when the dates make no sense. */
export function statisticsForm(query: Record<string, string | undefined>, today: Temporal.PlainDate): Form | null {
  // A date given but impossible ('2026-02-30') is a mistake to show, not a reason to quietly show other weeks.
  if ((query.von && !isIsoDate(query.von)) || (query.bis && !isIsoDate(query.bis))) return null;
  const from = query.von || today.subtract({ days: 27 }).toString();
  const to = query.bis || today.toString();
  const days = Temporal.PlainDate.from(from).until(to).days;
  if (days < 0 || days > MAX_DAYS) return null;
  const target = Number(query.ziel);
  return {
    from,
    to,
    period: query.zeitraum === 'week' ? 'week' : 'day',
    serviceId: query.dienstleistung || '*',
    targetDays: Number.isInteger(target) && target > 0 && target <= 365 ? target : 14,
  };
}

/** /staff/statistics: figures, charts and the outlook of the chosen office, for team leads and admins. */
export function statisticsPages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  pages.use('/statistics', requireStage('active'));
  pages.use('/statistics.csv', requireStage('active'));
  pages.use('/statistics-stunden.csv', requireStage('active'));

  const load = async (c: Context<StaffEnv>) => {
    const officeId = c.get('session')?.officeId ?? null;
    if (!officeId) return { redirect: true as const };
    const office = await findOffice(ctx.db, officeId);
    const today = localPlainDate(ctx.now(), office?.time_zone ?? 'Europe/Berlin');
    const form = statisticsForm(c.req.query(), today);
    const fallback = statisticsForm({}, today)!;
    const report = await readStatistics(ctx, c.get('principal'), {
      officeId,
      ...(form ?? fallback),
      serviceId: (form ?? fallback).serviceId === '*' ? undefined : (form ?? fallback).serviceId,
    });
    const breakdown = await readBreakdown(ctx, c.get('principal'), { officeId, from: (form ?? fallback).from, to: (form ?? fallback).to });
    return {
      redirect: false as const,
      officeName: office?.name ?? officeId,
      form: form ?? fallback,
      invalid: form === null,
      report,
      breakdown,
      sideBySide: await readSideBySide(ctx, c.get('principal'), {
        officeId,
        from: (form ?? fallback).from,
        to: (form ?? fallback).to,
        lang: staffPageFor(c).lang,
      }),
    };
  };

  pages.get('/statistics', async (c) => {
    const page = staffPageFor(c);
    if (!hasRole(c.get('principal'), 'teamlead')) return forbidden(c, page);
    const loaded = await load(c);
    if (loaded.redirect) return c.redirect('/staff/standort', 303);
    const services = await listServices(ctx.db);
    const names = new Map(services.map((s) => [s.id, page.lang === 'en' ? s.name_en : s.name_de]));
    const kreis = canReadKreisStatistics(c.get('principal'));
    return c.html(
      <StatisticsPage page={page} m={statisticsMessages[page.lang]} {...loaded} names={names} kreis={kreis} />,
      loaded.invalid ? 422 : 200,
    );
  });

  pages.get('/statistics.csv', async (c) => {
    const page = staffPageFor(c);
    if (!hasRole(c.get('principal'), 'teamlead')) return forbidden(c, page);
    const loaded = await load(c);
    if (loaded.redirect) return c.redirect('/staff/standort', 303);
    if (loaded.invalid) return staffErrorPage(c, 'validation_failed', 422);
    return c.body(statisticsCsv(loaded.report, page.lang), 200, csvDownloadHeaders(statisticsFilename(loaded.report)));
  });

  pages.get('/statistics-stunden.csv', async (c) => {
    const page = staffPageFor(c);
    if (!hasRole(c.get('principal'), 'teamlead')) return forbidden(c, page);
    const loaded = await load(c);
    if (loaded.redirect) return c.redirect('/staff/standort', 303);
    if (loaded.invalid) return staffErrorPage(c, 'validation_failed', 422);
    return c.body(statisticsHoursCsv(loaded.report, page.lang), 200, csvDownloadHeaders(statisticsHoursFilename(loaded.report)));
  });
  return pages;
}

function forbidden(c: Context<StaffEnv>, page: StaffPage) {
  return c.html(
    <StaffLayout page={page} title={ERROR_MESSAGES.forbidden[page.lang]}>
      <h1 class="kern-heading-large">{ERROR_MESSAGES.forbidden[page.lang]}</h1>
    </StaffLayout>,
    403,
  );
}

type PageProps = {
  page: StaffPage;
  m: StatisticsMessages;
  officeName: string;
  form: Form;
  invalid: boolean;
  report: StatisticsReport;
  breakdown: Breakdown;
  sideBySide: SideBySide;
  names: Map<string, string>;
  /** Staff of the whole Kreis also get the link to the overview of all towns (#20). */
  kreis: boolean;
};

function StatisticsPage({ page, m, officeName, form, invalid, report, breakdown, sideBySide, names, kreis }: PageProps) {
  const name = (id: string) => names.get(id) ?? id;
  const qs = new URLSearchParams({
    von: form.from,
    bis: form.to,
    zeitraum: form.period,
    dienstleistung: form.serviceId,
    ziel: String(form.targetDays),
  });
  return (
    <StaffLayout page={page} title={m.title(officeName)} hasErrors={invalid}>
      <h1 class="kern-heading-large">{m.title(officeName)}</h1>
      {kreis ? (
        <p class="kern-body">
          <a class="kern-link" href="/staff/statistik/kreis">
            {kreisStatisticsMessages[page.lang].link}
          </a>
        </p>
      ) : null}
      <section aria-labelledby="stat-headline">
        <h2 id="stat-headline" class="kern-heading-medium">
          {m.headline}
        </h2>
        <ul class="stat-headline">
          {report.planning.map((p) => (
            <li class="kern-body kern-body--large">{m.leadTime(name(p.serviceId), p.leadDays)}</li>
          ))}
        </ul>
      </section>
      <Filter m={m} form={form} invalid={invalid} names={names} />
      <ul class="stat-downloads">
        <li>
          <a class="kern-link" href={`/staff/statistics.csv?${qs.toString()}`} download>
            {m.csv}
          </a>
        </li>
        <li>
          <a class="kern-link" href={`/staff/statistics-stunden.csv?${qs.toString()}`} download>
            {m.csvHours}
          </a>
        </li>
      </ul>
      <Planning m={m} report={report} name={name} />
      <Figures m={m} report={report} />
      <TrendSection m={m} report={report} />
      {report.periods.length === 0 ? <p class="kern-body">{m.noData}</p> : <Charts m={m} report={report} name={name} />}
      <HoursSection m={m} report={report} />
      <SideBySideSection m={m} data={sideBySide} />
      <BreakdownSection m={m} breakdown={breakdown} />
      <Demand m={m} report={report} name={name} />
    </StaffLayout>
  );
}

function Filter({ m, form, invalid, names }: { m: StatisticsMessages; form: Form; invalid: boolean; names: Map<string, string> }) {
  return (
    <form method="get" action="/staff/statistics" class="stat-filter staff-noprint">
      <fieldset class="kern-fieldset">
        <legend class="kern-label">{m.filter}</legend>
        {invalid ? (
          <p class="kern-error" role="alert">
            {m.invalid}
          </p>
        ) : null}
        <div class="stat-filter__row">
          <div class="kern-form-input">
            <label class="kern-label" for="von">
              {m.from}
            </label>
            <input class="kern-form-input__input" type="date" id="von" name="von" value={form.from} required />
          </div>
          <div class="kern-form-input">
            <label class="kern-label" for="bis">
              {m.to}
            </label>
            <input class="kern-form-input__input" type="date" id="bis" name="bis" value={form.to} required />
          </div>
          <div class="kern-form-input">
            <label class="kern-label" for="zeitraum">
              {m.period}
            </label>
            <div class="kern-form-input__select-wrapper">
              <select class="kern-form-input__select" id="zeitraum" name="zeitraum">
                <option value="day" selected={form.period === 'day'}>
                  {m.periodDay}
                </option>
                <option value="week" selected={form.period === 'week'}>
                  {m.periodWeek}
                </option>
              </select>
            </div>
          </div>
          <div class="kern-form-input">
            <label class="kern-label" for="dienstleistung">
              {m.service}
            </label>
            <div class="kern-form-input__select-wrapper">
              <select class="kern-form-input__select" id="dienstleistung" name="dienstleistung">
                <option value="*">{m.allServices}</option>
                {[...names].map(([id, label]) => (
                  <option value={id} selected={form.serviceId === id}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="kern-form-input">
            <label class="kern-label" for="ziel">
              {m.target}
            </label>
            <input class="kern-form-input__input" type="number" id="ziel" name="ziel" min="1" max="365" value={String(form.targetDays)} />
          </div>
        </div>
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{m.show}</span>
        </button>
      </fieldset>
    </form>
  );
}

function Planning({ m, report, name }: { m: StatisticsMessages; report: StatisticsReport; name: (id: string) => string }) {
  if (report.planning.length === 0) return null;
  const c = m.planningCols;
  return (
    <section aria-labelledby="stat-planning">
      <h2 id="stat-planning" class="kern-heading-medium">
        {m.planning}
      </h2>
      <p class="kern-body">{m.planningIntro}</p>
      <ul>
        {report.planning.map((p) => (
          <li class="kern-body">{m.extraSentence(p.extraCounterHoursPerWeek, name(p.serviceId), p.targetDays)}</li>
        ))}
      </ul>
      <div class="stat-table" tabindex={0} role="region" aria-label={m.tableOf(m.planning)}>
        <table class="kern-table">
          {/* The heading above says „Vorschau und Bedarf“: the caption names the table for screen readers only. */}
          <caption class="kern-sr-only">{m.planning}</caption>
          <thead>
            <tr>
              <th scope="col">{c.service}</th>
              <th scope="col">{c.lead}</th>
              <th scope="col">{c.bookings}</th>
              <th scope="col">{c.unmet}</th>
              <th scope="col">{c.seats}</th>
              {[1, 2, 3, 4].map((w) => (
                <th scope="col">{c.week(w)}</th>
              ))}
              <th scope="col">{c.extra}</th>
            </tr>
          </thead>
          <tbody>
            {report.planning.map((p) => (
              <tr>
                <th scope="row">{name(p.serviceId)}</th>
                <td>{p.leadDays ?? '–'}</td>
                <td>{m.number(p.weeklyBookings)}</td>
                <td>
                  {m.number(p.weeklyUnmetDemand)}
                  <span class="stat-note">{c.unmetCounts(p.unmetDemand)}</span>
                </td>
                <td>{m.number(p.weeklySeats)}</td>
                {p.forecast.map((w) => (
                  <td>{w.leadDays < 0 ? '–' : w.leadDays}</td>
                ))}
                <td>{p.extraCounterHoursPerWeek}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Figures({ m, report }: { m: StatisticsMessages; report: StatisticsReport }) {
  const t = report.total;
  const rows: [string, string | number][] = [
    [m.f.booked, t.booked],
    [m.f.appointmentsDue, t.appointmentsDue],
    [m.f.appointmentsCancelled, t.appointmentsCancelled],
    [m.f.served, t.served],
    [m.f.noShow, t.noShow],
    [m.f.noShowRate, m.percent(t.noShowRate)],
    [m.f.cancelledByCitizen, t.cancelledByCitizen],
    [m.f.cancelledByOffice, t.cancelledByOffice],
    [m.f.walkinsServed, t.walkinsServed],
    [m.f.walkinsTurnedAway, t.walkinsTurnedAway],
    [m.f.arrivals, t.arrivals],
    [m.f.walkinArrivals, t.walkinArrivals],
    [m.f.serviceLevel15, m.percent(t.serviceLevel15)],
    [m.f.serviceLevel30, m.percent(t.serviceLevel30)],
    [m.f.waitMedian, m.minutes(t.waitMedianMinutes)],
    [m.f.waitP90, m.minutes(t.waitP90Minutes)],
    [m.f.processingMedian, m.minutes(t.processingMedianMinutes)],
    [m.f.utilisation, m.percent(t.utilisation)],
  ];
  return (
    <section aria-labelledby="stat-figures">
      <h2 id="stat-figures" class="kern-heading-medium">
        {m.figures}
      </h2>
      <p class="kern-body">{m.figuresNote}</p>
      <dl class="stat-figures">
        {rows.map(([label, value]) => (
          <div>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Demand the office could not meet (#8): the waiting list now, and empty searches and list length over time. */
function Demand({ m, report, name }: { m: StatisticsMessages; report: StatisticsReport; name: (id: string) => string }) {
  const { demand } = report;
  const byPeriod = demandByPeriod(demand, report.period);
  const periods = [...byPeriod.keys()].sort();
  const series = [
    { name: m.misses, values: periods.map((p) => byPeriod.get(p)!.misses), tone: 'a' as const },
    { name: m.waitingList, values: periods.map((p) => byPeriod.get(p)!.waiting), tone: 'b' as const },
  ];
  return (
    <section aria-labelledby="stat-demand" class="stat-section">
      <h2 id="stat-demand" class="kern-heading-medium">
        {m.demand}
      </h2>
      <p class="kern-body">{m.demandIntro}</p>
      <h3 class="kern-heading-small">{m.waitingNow}</h3>
      {demand.waitingNow.length === 0 ? (
        <p class="kern-body">{m.waitingNowEmpty}</p>
      ) : (
        <DataTable
          number={m.number}
          caption={m.waitingNow}
          regionLabel={m.tableOf(m.waitingNow)}
          head={m.service}
          categories={demand.waitingNow.map((w) => name(w.serviceId))}
          series={[{ name: m.waitingCol, values: demand.waitingNow.map((w) => w.waiting), tone: 'a' }]}
        />
      )}
      {periods.length > 0 ? (
        <>
          <BarChart
            number={m.number}
            id="chart-demand"
            title={m.chartDemand}
            desc={m.chartDemandDesc(m.date(report.from), m.date(report.to))}
            categories={periods.map(formatDayShort)}
            series={series}
            unit={m.count}
          />
          <DataTable
            number={m.number}
            caption={m.chartDemand}
            regionLabel={m.tableOf(m.chartDemand)}
            head={m.periodHead}
            categories={periods.map(m.date)}
            series={series}
          />
        </>
      ) : null}
    </section>
  );
}

function Charts({ m, report, name }: { m: StatisticsMessages; report: StatisticsReport; name: (id: string) => string }) {
  const periods = report.periods.map((p) => p.period);
  const volume = [
    { name: m.f.appointmentsDue, values: report.periods.map((p) => p.appointmentsDue), tone: 'a' as const },
    { name: m.f.served, values: report.periods.map((p) => p.served), tone: 'b' as const },
    { name: m.f.noShow, values: report.periods.map((p) => p.noShow), tone: 'c' as const },
  ];
  const hours = report.byHour.map((h) => `${h.hour}:00`);
  const waits = [
    { name: m.median, values: report.byHour.map((h) => h.waitMedianMinutes), tone: 'a' as const },
    { name: m.p90, values: report.byHour.map((h) => h.waitP90Minutes), tone: 'b' as const },
  ];
  const leadDays = [...new Set(report.leadTimeHistory.map((h) => h.day))];
  const leadServices = [...new Set(report.leadTimeHistory.map((h) => h.serviceId))].slice(0, 3);
  const lead = leadServices.map((s, i) => ({
    name: name(s),
    values: leadDays.map((d) => report.leadTimeHistory.find((h) => h.day === d && h.serviceId === s)?.leadDays ?? null),
    tone: (['a', 'b', 'c'] as const)[i]!,
  }));
  return (
    <>
      <section aria-labelledby="stat-volume" class="stat-section">
        <h2 id="stat-volume" class="kern-heading-medium">
          {m.chartVolume}
        </h2>
        <BarChart
          number={m.number}
          id="chart-volume"
          title={m.chartVolume}
          desc={m.chartVolumeDesc(m.date(report.from), m.date(report.to))}
          categories={periods.map(formatDayShort)}
          series={volume}
          unit={m.count}
        />
        <DataTable
          number={m.number}
          caption={m.chartVolume}
          regionLabel={m.tableOf(m.chartVolume)}
          head={m.periodHead}
          categories={periods.map(m.date)}
          series={volume}
        />
      </section>
      {hours.length ? (
        <section aria-labelledby="stat-wait" class="stat-section">
          <h2 id="stat-wait" class="kern-heading-medium">
            {m.chartWait}
          </h2>
          <BarChart
            number={m.number}
            id="chart-wait"
            title={m.chartWait}
            desc={m.chartWaitDesc}
            categories={hours}
            series={waits}
            unit={m.minutesUnit}
          />
          <DataTable
            number={m.number}
            caption={m.chartWait}
            regionLabel={m.tableOf(m.chartWait)}
            head={m.hour}
            categories={hours}
            series={waits}
            format={m.minutes}
          />
        </section>
      ) : null}
      {leadDays.length ? (
        <section aria-labelledby="stat-lead" class="stat-section">
          <h2 id="stat-lead" class="kern-heading-medium">
            {m.chartLead}
          </h2>
          <BarChart
            number={m.number}
            id="chart-lead"
            title={m.chartLead}
            desc={m.chartLeadDesc}
            categories={leadDays.map(formatDayShort)}
            series={lead}
            unit={m.daysUnit}
          />
          <DataTable
            number={m.number}
            caption={m.chartLead}
            regionLabel={m.tableOf(m.chartLead)}
            head={m.day}
            categories={leadDays.map(m.date)}
            series={lead}
          />
        </section>
      ) : null}
    </>
  );
}
