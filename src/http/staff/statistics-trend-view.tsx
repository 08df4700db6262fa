import type { StatisticsReport } from '../../app/statistics/read-statistics.ts';
import type { TrendWeek } from '../../app/statistics/statistics-trend.ts';
import type { StatisticsMessages } from './messages/statistics.ts';

// Trends (#17 item 4): this week against the week before and the same week a year earlier, and the
// service level. A table, not a chart: three columns of a dozen figures read better as numbers.

type Row = { label: string; kind: 'count' | 'share' | 'minutes'; pick: (w: TrendWeek) => number | null };

export function TrendSection({ m, report }: { m: StatisticsMessages; report: StatisticsReport }) {
  const [current, previous, lastYear] = report.trend;
  if (!current || !previous || !lastYear) return null;
  const t = m.trend;
  const rows: Row[] = [
    { label: m.f.arrivals, kind: 'count', pick: (w) => w.arrivals },
    { label: m.f.served, kind: 'count', pick: (w) => w.served },
    { label: m.f.walkinsServed, kind: 'count', pick: (w) => w.walkinsServed },
    { label: m.f.noShow, kind: 'count', pick: (w) => w.noShow },
    { label: m.f.noShowRate, kind: 'share', pick: (w) => w.noShowRate },
    { label: m.f.booked, kind: 'count', pick: (w) => w.booked },
    { label: m.f.walkinsTurnedAway, kind: 'count', pick: (w) => w.walkinsTurnedAway },
    { label: m.f.waitMedian, kind: 'minutes', pick: (w) => w.waitMedianMinutes },
    { label: m.f.serviceLevel15, kind: 'share', pick: (w) => w.serviceLevel15 },
    { label: m.f.serviceLevel30, kind: 'share', pick: (w) => w.serviceLevel30 },
  ];
  const show = (row: Row, v: number | null) =>
    row.kind === 'share' ? m.percent(v) : row.kind === 'minutes' ? m.minutes(v) : v === null ? '–' : m.number(v);
  const span = (w: TrendWeek) => (w.from === w.to ? m.date(w.from) : `${m.date(w.from)} – ${m.date(w.to)}`);
  return (
    <section aria-labelledby="stat-trend">
      <h2 id="stat-trend" class="kern-heading-medium">
        {t.heading}
      </h2>
      <p class="kern-body">{t.intro}</p>
      <div class="stat-table" tabindex={0} role="region" aria-label={m.tableOf(t.heading)}>
        <table class="kern-table">
          <caption class="kern-title">{t.caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t.figure}</th>
              <th scope="col">
                {t.current}
                <br />
                <span class="kern-body--small">{span(current)}</span>
              </th>
              <th scope="col">
                {t.previous}
                <br />
                <span class="kern-body--small">{span(previous)}</span>
              </th>
              <th scope="col">{t.change}</th>
              <th scope="col">
                {t.lastYear}
                <br />
                <span class="kern-body--small">{span(lastYear)}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr>
                <th scope="row">{row.label}</th>
                <td>{show(row, row.pick(current))}</td>
                <td>{show(row, row.pick(previous))}</td>
                <td>{m.change(row.kind, row.pick(current), row.pick(previous))}</td>
                <td>{show(row, row.pick(lastYear))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
