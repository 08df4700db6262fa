import type { SideBySide, SideBySideRow } from '../../app/statistics/statistics-side-by-side.ts';
import type { StatisticsMessages } from './messages/statistics.ts';

// Per service, per office and the town side by side (#17 item 3): the same columns in every table,
// rows in the order of their names.

export function SideBySideSection({ m, data }: { m: StatisticsMessages; data: SideBySide }) {
  const s = m.sideBySide;
  return (
    <section aria-labelledby="stat-side">
      <h2 id="stat-side" class="kern-heading-medium">
        {s.heading}
      </h2>
      <div class="stat-weekdays">
        {data.perService.length > 0 ? <SideTable m={m} caption={s.perService} head={m.service} rows={data.perService} /> : null}
        <SideTable m={m} caption={s.perOffice} head={s.office} rows={[...data.perOffice, data.total]} />
      </div>
    </section>
  );
}

function SideTable({ m, caption, head, rows }: { m: StatisticsMessages; caption: string; head: string; rows: SideBySideRow[] }) {
  return (
    <div class="stat-table" tabindex={0} role="region" aria-label={m.tableOf(caption)}>
      <table class="kern-table">
        <caption class="kern-title">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            <th scope="col">{m.f.arrivals}</th>
            <th scope="col">{m.f.served}</th>
            <th scope="col">{m.f.walkinsServed}</th>
            <th scope="col">{m.f.noShowRate}</th>
            <th scope="col">{m.f.waitMedian}</th>
            <th scope="col">{m.f.serviceLevel15}</th>
            <th scope="col">{m.f.processingMedian}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row">{r.name}</th>
              <td>{m.number(r.arrivals)}</td>
              <td>{m.number(r.served)}</td>
              <td>{m.number(r.walkinsServed)}</td>
              <td>{m.percent(r.noShowRate)}</td>
              <td>{m.minutes(r.waitMedianMinutes)}</td>
              <td>{m.percent(r.serviceLevel15)}</td>
              <td>{m.minutes(r.processingMedianMinutes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
