import type { Breakdown } from '../../app/statistics/statistics-breakdown.ts';
import type { BreakdownRow } from '../../domain/statistics-breakdown.ts';
import type { StatisticsMessages } from './messages/statistics.ts';

// Per counter and per clerk (#17 item 3), on the team leads' statistics page only. Rows in the order
// of their names; the note under the clerk table says what the figures are for (decision record 0013).

export function BreakdownSection({ m, breakdown }: { m: StatisticsMessages; breakdown: Breakdown }) {
  const b = m.breakdown;
  return (
    <section aria-labelledby="stat-breakdown">
      <h2 id="stat-breakdown" class="kern-heading-medium">
        {b.heading}
      </h2>
      <p class="kern-body">{b.intro}</p>
      <div class="stat-weekdays">
        <BreakdownTable m={m} caption={b.perCounter} head={b.counter} rows={breakdown.perCounter} name={b.counterName} />
        <div>
          {breakdown.perClerk.length > 0 ? (
            <BreakdownTable m={m} caption={b.perClerk} head={b.clerk} rows={breakdown.perClerk} name={(n) => n} />
          ) : null}
          <p class="kern-body">
            {breakdown.clerkFigures ? b.clerkNote(breakdown.minTicketsPerClerk, breakdown.clerksWithheld) : b.clerkOff}
          </p>
        </div>
      </div>
    </section>
  );
}

function BreakdownTable(props: {
  m: StatisticsMessages;
  caption: string;
  head: string;
  rows: BreakdownRow[];
  name: (n: string) => string;
}) {
  const { m, caption, head, rows, name } = props;
  const b = m.breakdown;
  if (rows.length === 0) return <p class="kern-body">{b.none}</p>;
  return (
    <div class="stat-table" tabindex={0} role="region" aria-label={m.tableOf(caption)}>
      <table class="kern-table">
        <caption class="kern-title">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            <th scope="col">{m.f.served}</th>
            <th scope="col">{b.noShowsCalled}</th>
            <th scope="col">{b.handlingMedian}</th>
            <th scope="col">{b.handlingMean}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <th scope="row">{name(r.name)}</th>
              <td>{m.number(r.served)}</td>
              <td>{m.number(r.noShowsCalled)}</td>
              <td>{m.minutes(r.handlingMedianMinutes)}</td>
              <td>{m.minutes(r.handlingMeanMinutes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
