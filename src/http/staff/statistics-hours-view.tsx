import type { StatisticsReport } from '../../app/statistics/read-statistics.ts';
import { BarChart, DataTable, type Series } from './charts.tsx';
import type { StatisticsMessages } from './messages/statistics.ts';

// Arrivals and served by hour of day (#17 item 2): the section a team lead plans hourly staffing by.
// The chart shows the whole range; the two tables the average per open day of each weekday, so a
// Monday with a holiday in the range does not look quiet.

const TONES = ['a', 'b', 'c'] as const;

export function HoursSection({ m, report }: { m: StatisticsMessages; report: StatisticsReport }) {
  if (report.byHour.every((h) => h.arrivals === 0 && h.served === 0 && h.walkinsServed === 0)) return null;
  const hours = report.byHour.filter((h) => h.arrivals > 0 || h.served > 0 || h.walkinsServed > 0);
  const labels = hours.map((h) => m.hourSpan(h.hour));
  const totals: Series[] = [
    { name: m.arrivals, values: hours.map((h) => h.arrivals), tone: 'a' },
    { name: m.servedAll, values: hours.map((h) => h.served + h.walkinsServed), tone: 'b' },
  ];
  const weekdays = [...new Set(report.byWeekdayHour.map((c) => c.weekday))];
  const profileHours = [...new Set(report.byWeekdayHour.map((c) => c.hour))].sort((a, b) => a - b);
  const perWeekday = (pick: 'arrivalsPerDay' | 'servedPerDay'): Series[] =>
    weekdays.map((wd, i) => {
      const cells = report.byWeekdayHour.filter((c) => c.weekday === wd);
      return {
        name: m.weekdayDays(wd, cells[0]?.days ?? 0),
        values: profileHours.map((h) => cells.find((c) => c.hour === h)?.[pick] ?? null),
        tone: TONES[i % 3]!,
      };
    });
  return (
    <section aria-labelledby="stat-hours" class="stat-section">
      <h2 id="stat-hours" class="kern-heading-medium">
        {m.chartHours}
      </h2>
      <p class="kern-body stat-wide">{m.hoursIntro}</p>
      <BarChart
        number={m.number}
        id="chart-hours"
        title={m.chartHours}
        desc={m.chartHoursDesc(m.date(report.from), m.date(report.to))}
        categories={labels}
        series={totals}
        unit={m.count}
      />
      <DataTable
        number={m.number}
        caption={m.chartHours}
        regionLabel={m.tableOf(m.chartHours)}
        head={m.hour}
        categories={labels}
        series={totals}
      />
      <div class="stat-wide stat-weekdays">
        <DataTable
          number={m.number}
          caption={m.arrivalsByWeekday}
          regionLabel={m.tableOf(m.arrivalsByWeekday)}
          head={m.hour}
          categories={profileHours.map(m.hourSpan)}
          series={perWeekday('arrivalsPerDay')}
        />
        <DataTable
          number={m.number}
          caption={m.servedByWeekday}
          regionLabel={m.tableOf(m.servedByWeekday)}
          head={m.hour}
          categories={profileHours.map(m.hourSpan)}
          series={perWeekday('servedPerDay')}
        />
      </div>
    </section>
  );
}
